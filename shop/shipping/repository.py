from oscar.apps.shipping import repository
from oscar.apps.shipping.methods import Free

from fulfilment.modules.base import Destination, NotShippable
from fulfilment.selectors import basket_shipping_plan, shipping_plan_for_basket_destination
from shop.shipping.methods import ProducerModulesDelivery

# Before the customer gives an address (basket page), charges are estimated for Morocco.
ESTIMATE_DESTINATION = Destination(country_code="MA")


class Repository(repository.Repository):
    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        try:
            if shipping_addr is None:
                plan = shipping_plan_for_basket_destination(basket=basket, destination=ESTIMATE_DESTINATION)
            else:
                plan = basket_shipping_plan(basket=basket, shipping_address=shipping_addr)
        except NotShippable:
            # The shipping-method step explains which product cannot go there.
            return []
        return [ProducerModulesDelivery(plan)]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        methods = self.get_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)
        return methods[0] if methods else Free()
