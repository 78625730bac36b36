from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import *  # noqa: F401,F403  (Oscar's Free, NoShippingRequired, …)
from oscar.apps.shipping.methods import Base
from oscar.core import prices


class ProducerModulesDelivery(Base):
    """Each producer's fulfilment module prices its own parcel; the order pays the sum."""

    code = "producer-modules"
    name = _("Delivery by each producer")
    description = _("Each cooperative sends its own parcel, priced by its own shipping rules.")

    def __init__(self, plan):
        self.plan = plan

    def calculate(self, basket):
        convert = shipping_charge_converter(strategy=getattr(basket, "strategy", None))
        # Each parcel is converted on its own, so the order's charge is the sum of its producers' charges.
        amount = sum((convert(quote.charge) for quote in self.plan.quotes.values()), Decimal("0.00"))
        return prices.Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)


def shipping_charge_converter(*, strategy):
    """MAD charge → charge in the strategy's currency (identity for MAD)."""
    currency = getattr(strategy, "currency", None)
    if currency is None or currency.code == "MAD":
        return lambda amount: amount
    return lambda amount: currency.convert(amount=amount, from_currency="MAD")
