from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FulfilmentConfig(AppConfig):
    name = "fulfilment"
    verbose_name = _("Producer fulfilment")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from cooperatives.extensions import fulfilment_modules_provide
        from fulfilment.modules import DEFAULT_MODULE, module_choices

        fulfilment_modules_provide(choices=module_choices, default=DEFAULT_MODULE)
