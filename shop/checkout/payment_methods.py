"""Which payment methods a checkout may offer, and the rule for each."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

CASH_ON_DELIVERY = "cod"


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


def payment_methods_available(*, shipping_country_code: str | None) -> list[PaymentMethod]:
    """Methods offered for a delivery country; cash on delivery only where carriers collect cash."""
    methods = []
    if shipping_country_code and shipping_country_code.upper() in settings.TERROIR_COD_COUNTRIES:
        methods.append(COD)
    return methods
