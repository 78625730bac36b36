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
        amount = self.plan.total
        return prices.Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)
