from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GieConfig(AppConfig):
    name = "gie"
    verbose_name = _("GIE coordination")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from cooperatives.extensions import commission_default_providers
        from fulfilment.extensions import producer_reader_rules
        from fulfilment.modules import module_register
        from gie.fulfilment_module import GieHub
        from gie.hooks import coordinated_producers_q, member_commission_default

        module_register(GieHub())
        commission_default_providers.register(member_commission_default)
        producer_reader_rules.register(coordinated_producers_q)
