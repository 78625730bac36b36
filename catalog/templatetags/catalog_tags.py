from django import template

from catalog import cards

register = template.Library()


@register.simple_tag(takes_context=True)
def product_card(context, product):
    """What a product card shows (`catalog.cards.product_card`), computed once for the card."""
    return cards.product_card(context["request"], product)
