from django import template

from fulfilment.selectors import order_lines_by_producer

register = template.Library()


@register.simple_tag
def order_producer_groups(order):
    return order_lines_by_producer(order)
