"""The product page's line on what reaches the producer: the producer's rule (cooperatives) with the
payment methods the shop offers (cash on delivery; the card when card payments are configured)."""

from django import template

from cooperatives.selectors import producer_share_for
from shop.checkout.payment_methods import payment_methods_offered

register = template.Library()


@register.simple_tag
def producer_shares(stockrecord):
    return producer_share_for(stockrecord=stockrecord, methods=payment_methods_offered())
