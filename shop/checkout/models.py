"""A checkout driven through the API: the basket and what the pages keep in the session."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiCheckout(models.Model):
    """The API's checkout: a basket, the buyer's e-mail, currency and language, the delivery address
    and each producer's delivery method. The checkout pages keep the same in the session; the token is
    the client's handle on it (whoever holds it may act on a guest checkout, like a session cookie)."""

    token = models.UUIDField(_("Token"), default=uuid.uuid4, unique=True, editable=False)
    basket = models.OneToOneField("basket.Basket", on_delete=models.CASCADE, related_name="api_checkout")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField(_("E-mail"), blank=True)
    currency = models.CharField(_("Currency"), max_length=3, default="MAD")
    language = models.CharField(_("Language"), max_length=10, blank=True)
    # The delivery address as the checkout page's form cleaned it (an unsaved ShippingAddress's fields).
    shipping_address = models.JSONField(_("Shipping address"), null=True, blank=True)
    # {producer id: method code} the buyer chose for each producer's parcel.
    delivery_methods = models.JSONField(_("Delivery methods"), default=dict, blank=True)
    order = models.ForeignKey(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_created = models.DateTimeField(_("Date created"), auto_now_add=True)
    date_updated = models.DateTimeField(_("Date updated"), auto_now=True)

    class Meta:
        verbose_name = _("API checkout")
        verbose_name_plural = _("API checkouts")

    def __str__(self):
        return str(self.token)
