"""Which payment methods a checkout may offer for a delivery country, and what each one needs."""

from django.conf import settings
from django.utils.translation import gettext as _

from core.payments import PaymentMethod
from shop.payment.conf import card_payments_enabled


def payment_methods_available(*, shipping_country_code: str | None) -> list[PaymentMethod]:
    """Methods offered for a delivery country; cash on delivery only where carriers collect cash."""
    methods = [PaymentMethod.CARD] if card_payments_enabled() else []
    if shipping_country_code and shipping_country_code.upper() in settings.TERROIR_COD_COUNTRIES:
        methods.append(PaymentMethod.CASH_ON_DELIVERY)
    return methods


def payment_method_refusal(*, method: PaymentMethod | None, shipping_address) -> str | None:
    """Why this method cannot be used with this delivery address, or None. The carrier calls the
    customer before bringing cash-on-delivery parcels (and a parcel nobody answers for goes back)."""
    if method is PaymentMethod.CASH_ON_DELIVERY and not getattr(shipping_address, "phone_number", None):
        return _(
            "Cash on delivery needs a phone number: the carrier calls you before delivering. "
            "Add one to your delivery address."
        )
    return None
