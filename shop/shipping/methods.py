from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F401,F403  (Oscar's Free, NoShippingRequired, …)
from oscar.apps.shipping.methods import Base
from oscar.core import prices

from fulfilment.selectors import basket_producer_ids

# Flat charge per producer parcel until producers configure their own fulfilment module.
PARCEL_CHARGE_MOROCCO = Decimal("35.00")
PARCEL_CHARGE_ABROAD = Decimal("150.00")


class PerProducerDelivery(Base):
    """Each producer ships its own parcel; the charge is one flat fee per producer."""

    code = "per-producer"
    name = _("Delivery by each producer")
    description = _("Each cooperative sends its own parcel. One delivery charge per cooperative.")

    def __init__(self, country_code=None):
        self.country_code = country_code

    def parcel_charge(self):
        if self.country_code in (None, "MA"):
            return PARCEL_CHARGE_MOROCCO
        return PARCEL_CHARGE_ABROAD

    def calculate(self, basket):
        amount = self.parcel_charge() * len(basket_producer_ids(basket))
        return prices.Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)
