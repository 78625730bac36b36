from django.conf import settings
from django.db import transaction
from django.utils import translation
from oscar.apps.order import utils
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import *  # noqa: F401,F403
from oscar.core.loading import get_model

from cooperatives.services import InsufficientStock, ProductNotSellable, stock_allocate_order_lines
from fulfilment.modules.base import NotShippable
from fulfilment.services import order_fulfilments_create
from shop.currency.services import order_exchange_rate_record, rate_used
from shop.shipping.methods import shipping_charge_converter

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")


class OrderAlreadyPlaced(UnableToPlaceOrder):
    """The same checkout was submitted again (double click, retried request)."""

    def __init__(self, order):
        self.order = order
        super().__init__(f"Order {order.number} was already placed for this basket.")


def basket_lock_for_placement(*, basket, order_number: str) -> None:
    """Serialise submissions of one basket; a second one finds the first one's order and stops."""
    list(Basket.objects.select_for_update().filter(pk=basket.pk))
    existing = Order.objects.filter(number=order_number).first()
    if existing is not None:
        raise OrderAlreadyPlaced(existing)


def order_language(code: str | None) -> str:
    """One of settings.LANGUAGES for a language code ("ar-ma" is "ar"); the platform default otherwise."""
    try:
        return translation.get_supported_language_variant(code or "")
    except LookupError:
        return settings.LANGUAGE_CODE


class OrderCreator(utils.OrderCreator):
    """Places the order, takes its stock from lots and splits it by producer, in one transaction."""

    def place_order(self, basket, *args, order_number=None, language=None, **kwargs):
        """language: the customer's storefront language; the active one (the request's) when not given."""
        order_number = order_number or utils.OrderNumberGenerator().order_number(basket)
        kwargs["language"] = order_language(language or translation.get_language())
        try:
            with transaction.atomic():
                basket_lock_for_placement(basket=basket, order_number=order_number)
                order = super().place_order(basket, *args, order_number=order_number, **kwargs)
                lines = list(
                    order.lines.select_related("product__product_class", "product__parent__product_class")
                )
                stock_allocate_order_lines(lines=lines)
                order_fulfilments_create(
                    order=order,
                    lines=lines,
                    charge_convert=shipping_charge_converter(strategy=basket.strategy),
                )
                order_exchange_rate_record(order=order, quote=rate_used(strategy=basket.strategy))
        except (InsufficientStock, ProductNotSellable, NotShippable) as exc:
            raise UnableToPlaceOrder(str(exc)) from exc
        return order

    def update_stock_records(self, line):
        # Stock is taken from lots once all order lines exist (see place_order).
        pass
