"""Reads on API checkouts: who may act on one, and what each producer's parcel costs."""

from dataclasses import dataclass

from django.http import Http404
from oscar.core.loading import get_model

from shop.checkout.models import ApiCheckout

Product = get_model("catalogue", "Product")


def checkout_get(*, token, user) -> ApiCheckout:
    """The checkout of this token; a customer's checkout only for that customer (404 for anyone else)."""
    checkout = ApiCheckout.objects.select_related("basket", "user").filter(token=token).first()
    if checkout is None:
        raise Http404("No such checkout")
    if checkout.user_id and not (user.is_authenticated and user.pk == checkout.user_id):
        raise Http404("No such checkout")
    return checkout


def products_for_checkout(*, ids) -> dict[int, object]:
    """Products a checkout line may name: public ones (a hidden product looks like none)."""
    return Product.objects.browsable().in_bulk(ids)


@dataclass(frozen=True)
class DeliveryGroup:
    """One producer's parcel: its lines, the method its fulfilment module offers, and the choice."""

    producer: object
    lines: list
    method_code: str
    method_name: str
    charge: object  # in the checkout's currency
    selected: bool
