from django.db import transaction
from oscar.apps.order import utils
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import *  # noqa: F401,F403

from cooperatives.services import InsufficientStock, stock_allocate_order_lines


class OrderCreator(utils.OrderCreator):
    """Places the order and takes its stock from producers' lots in the same transaction."""

    def place_order(self, basket, *args, **kwargs):
        try:
            with transaction.atomic():
                order = super().place_order(basket, *args, **kwargs)
                lines = order.lines.select_related("product__product_class", "product__parent__product_class")
                stock_allocate_order_lines(lines=list(lines))
        except InsufficientStock as exc:
            raise UnableToPlaceOrder(str(exc)) from exc
        return order

    def update_stock_records(self, line):
        # Stock is taken from lots once all order lines exist (see place_order).
        pass
