from django import template

from catalog import cards
from catalog.selectors import product_labels_visible

register = template.Library()


@register.simple_tag
def visible_labels(product):
    """Labels a product card may show (certificate still valid); uses the listing's prefetch."""
    return product_labels_visible(product=product)


@register.simple_tag(takes_context=True)
def product_card(context, product):
    """What a product card shows (`catalog.cards.product_card`), computed once for the card."""
    return cards.product_card(context["request"], product)
