"""Reads over orders that add money up: always in MAD, each order at the rate it recorded."""

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Avg, F, Q, Sum

from core.money import MONEY, ZERO, amount_to_mad_expression, cents


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
