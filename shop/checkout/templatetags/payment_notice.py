from django import template

from shop.checkout.payment_methods import payment_methods_notice

register = template.Library()


@register.inclusion_tag("checkout/partials/payment_notice.html")
def payment_notice():
    """Which payment methods each destination allows: on the basket and the first checkout step."""
    return {"notes": payment_methods_notice()}
