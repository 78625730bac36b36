from django import template

from catalog.selectors import product_labels_visible

register = template.Library()


@register.simple_tag
def visible_labels(product):
    """Labels a product card may show (certificate still valid); uses the listing's prefetch."""
    return product_labels_visible(product=product)
