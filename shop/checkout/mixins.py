"""Fork of Oscar's checkout mixins (loaded in its place by `get_class("checkout.mixins", …)`)."""

from oscar.apps.checkout import mixins


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    def send_order_placed_email(self, order):
        """The customer's confirmation is `fulfilment.notifications.messages_for_new_order`: one
        block per producer, in the order's language, sent once after commit for cash and card
        orders alike. Oscar's own confirmation would be a second mail for cash-on-delivery orders."""
