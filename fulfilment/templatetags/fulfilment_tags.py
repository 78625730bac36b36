from django import template

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
