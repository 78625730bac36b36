from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GieConfig(AppConfig):
    name = "gie"
    verbose_name = _("GIE coordination")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from fulfilment.modules import module_register
        from gie.fulfilment_module import GieHub

        module_register(GieHub())
