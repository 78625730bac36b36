"""Which payment methods a checkout may offer, and the rule for each."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shop.payment.conf import card_payments_enabled

CASH_ON_DELIVERY = "cod"
CARD = "card"


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    label: str
    description: str


COD = PaymentMethod(
    code=CASH_ON_DELIVERY,
    label=_("Cash on delivery"),
    description=_("Pay the carrier in cash when each producer's parcel arrives."),
)


CARD_METHOD = PaymentMethod(
    code=CARD,
    label=_("Card"),
    description=_("Pay now by card (Visa, Mastercard), with your bank's confirmation if it asks for one."),
)


def payment_methods_available(*, shipping_country_code: str | None) -> list[PaymentMethod]:
    """Methods offered for a delivery country; cash on delivery only where carriers collect cash."""
    methods = [CARD_METHOD] if card_payments_enabled() else []
    if shipping_country_code and shipping_country_code.upper() in settings.TERROIR_COD_COUNTRIES:
        methods.append(COD)
    return methods
