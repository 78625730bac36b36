from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CurrencyConfig(AppConfig):
    name = "shop.currency"
    label = "currency"
    verbose_name = _("Currencies")
    default_auto_field = "django.db.models.AutoField"

    def ready(self):
        from shop.currency.models import ExchangeRate
        from shop.currency.selectors import currencies_offered_forget

        post_save.connect(currencies_offered_forget, sender=ExchangeRate, dispatch_uid="rate-saved")
        post_delete.connect(currencies_offered_forget, sender=ExchangeRate, dispatch_uid="rate-deleted")
