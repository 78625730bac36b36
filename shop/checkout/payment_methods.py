"""Which payment methods a checkout may offer for a delivery country."""

from django.conf import settings

from core.payments import PaymentMethod
from shop.payment.conf import card_payments_enabled


def payment_methods_available(*, shipping_country_code: str | None) -> list[PaymentMethod]:
    """Methods offered for a delivery country; cash on delivery only where carriers collect cash."""
    methods = [PaymentMethod.CARD] if card_payments_enabled() else []
    if shipping_country_code and shipping_country_code.upper() in settings.TERROIR_COD_COUNTRIES:
        methods.append(PaymentMethod.CASH_ON_DELIVERY)
    return methods


def payment_methods_offered() -> list[PaymentMethod]:
    """Every method some delivery can be paid with, cash on delivery first (how most customers pay)."""
    methods = [PaymentMethod.CASH_ON_DELIVERY] if settings.TERROIR_COD_COUNTRIES else []
    if card_payments_enabled():
        methods.append(PaymentMethod.CARD)
    return methods
