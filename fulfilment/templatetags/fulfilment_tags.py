from django import template
from django.utils.translation import gettext as _
from oscar.templatetags.currency_filters import currency

from core.payments import order_payment_method
from fulfilment.selectors import order_lines_by_producer

register = template.Library()


@register.simple_tag
def order_producer_groups(order):
    return order_lines_by_producer(order)


@register.filter
def order_status_label(status: str) -> str:
    """An order status (stored in English, as Oscar's pipeline names it) in the reader's language."""
    from fulfilment.services import ORDER_STATUS_LABELS

    return str(ORDER_STATUS_LABELS.get(status, status))


@register.simple_tag
def refund_wording(order, amount) -> str:
    """What the customer reads about the price of units that will not come, said the way the order
    was paid: refunded on the card, or not to be paid on delivery."""
    formatted = currency(amount, order.currency)
    method = order_payment_method(order)
    if method is None:
        return f"{_('Refund due')}: {formatted}"
    return method.refund_wording(formatted)
