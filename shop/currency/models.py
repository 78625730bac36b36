from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """How many units of `quote_currency` one unit of `base_currency` buys from `effective_on` on.

    Platform staff enter it (e.g. 1 MAD = 0.0925 EUR, from Bank Al-Maghrib's reference rate); rows are
    never edited once orders use them, a new rate is a new row.
    """

    base_currency = models.CharField(_("From currency"), max_length=3, default="MAD")
    quote_currency = models.CharField(_("To currency"), max_length=3, default="EUR")
    rate = models.DecimalField(
        _("Rate"), max_digits=14, decimal_places=8, validators=[MinValueValidator(Decimal("0.00000001"))]
    )
    effective_on = models.DateField(_("Effective from"))
    source = models.CharField(_("Source"), max_length=255, help_text=_("e.g. Bank Al-Maghrib reference rate"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        ordering = ("-effective_on", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["base_currency", "quote_currency", "effective_on"], name="exchangerate_one_per_day"
            ),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="exchangerate_rate_positive"),
        ]
        verbose_name = _("Exchange rate")
        verbose_name_plural = _("Exchange rates")

    def __str__(self):
        return (
            f"1 {self.base_currency} = {self.rate} {self.quote_currency} ({self.effective_on}, {self.source})"
        )


class OrderExchangeRate(models.Model):
    """The rate an order in another currency than MAD was priced with, so its MAD amounts can be redone."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="exchange_rate", verbose_name=_("Order")
    )
    currency = models.CharField(_("Currency"), max_length=3)
    exchange_rate = models.ForeignKey(
        ExchangeRate, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    rate = models.DecimalField(_("Rate (1 MAD in the currency)"), max_digits=14, decimal_places=8)
    # Fixed once, with the order: settlements multiply by it and never divide by `rate` again.
    rate_to_mad = models.DecimalField(_("MAD for 1 unit of the currency"), max_digits=18, decimal_places=8)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Order exchange rate")
        verbose_name_plural = _("Order exchange rates")

    def __str__(self):
        return f"{self.order_id}: 1 {self.currency} = {self.rate_to_mad} MAD"
