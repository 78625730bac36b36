"""Reads over orders: a customer's own orders (`me { orders }`, `order(number)`), and sums of money
that are always in MAD, each order at the rate it recorded."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, F, Prefetch, Q, Sum
from django.http import Http404
from oscar.core.loading import get_model

from core.money import MONEY, ZERO, amount_to_mad_expression, cents
from fulfilment.models import ProducerFulfilment

Order = get_model("order", "Order")
Line = get_model("order", "Line")


class Revenue(NamedTuple):
    total: Decimal
    recent: Decimal
    recent_average: Decimal


def _total_in_mad():
    return amount_to_mad_expression(F("total_incl_tax"))


def orders_revenue_in_mad(*, orders, since: datetime.datetime) -> Revenue:
    """What these orders sold (totals incl. tax) in MAD: all of them, those placed after `since`, and
    the average of those; one query."""
    recent = Q(date_placed__gt=since)
    row = orders.aggregate(
        total=Sum(_total_in_mad(), output_field=MONEY),
        recent=Sum(_total_in_mad(), filter=recent, output_field=MONEY),
        recent_average=Avg(_total_in_mad(), filter=recent, output_field=MONEY),
    )
    return Revenue(
        total=row["total"] or ZERO,
        recent=row["recent"] or ZERO,
        recent_average=cents(row["recent_average"]) if row["recent_average"] is not None else ZERO,
    )


def orders_revenue_per_period_in_mad(*, orders, periods: list[tuple]) -> list[Decimal]:
    """What these orders sold in MAD in each [start, end) period, in one query."""
    row = orders.aggregate(
        **{
            f"period_{i}": Sum(
                _total_in_mad(), filter=Q(date_placed__gte=start, date_placed__lt=end), output_field=MONEY
            )
            for i, (start, end) in enumerate(periods)
        }
    )
    return [row[f"period_{i}"] or ZERO for i in range(len(periods))]


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
