"""A customer's own orders: what `me { orders }` and `order(number)` read."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from oscar.core.loading import get_model

from fulfilment.models import ProducerFulfilment

Order = get_model("order", "Order")
Line = get_model("order", "Line")


def orders_for_customer(*, user):
    """The signed-in customer's orders, newest first, with what their pages show; none for anyone else."""
    if not user.is_authenticated:
        return Order.objects.none()
    return (
        Order.objects.filter(user=user)
        .select_related("shipping_address")
        .prefetch_related(
            Prefetch("lines", queryset=Line.objects.select_related("partner").order_by("pk")),
            Prefetch(
                "fulfilments",
                queryset=ProducerFulfilment.objects.select_related("partner").order_by("pk"),
            ),
            "sources__source_type",
        )
        .order_by("-date_placed", "-pk")
    )


def order_get_for_customer(*, user, number: str):
    """One of the customer's orders; another customer's number looks like no order (404)."""
    if not user.is_authenticated:
        raise PermissionDenied
    order = orders_for_customer(user=user).filter(number=number).first()
    if order is None:
        raise Http404("No such order")
    return order
