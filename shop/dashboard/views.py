"""Oscar's dashboard home, with every revenue figure in MAD: each order's total converted at the rate
the order recorded, never euros added to dirhams."""

from datetime import timedelta
from decimal import ROUND_UP, Decimal

from django.utils.timezone import now
from oscar.apps.dashboard.views import *  # noqa: F401,F403  (Oscar's other dashboard views)
from oscar.apps.dashboard.views import IndexView as OscarIndexView
from oscar.core.loading import get_model

from shop.order.selectors import orders_revenue_in_mad, orders_revenue_per_period_in_mad

Order = get_model("order", "Order")


class IndexView(OscarIndexView):
    def visible_orders(self):
        """The orders Oscar's home counts for this user: all for staff, a partner's own otherwise."""
        user = self.request.user
        if user.is_staff:
            return Order.objects.all()
        return Order.objects.filter(lines__partner__in=user.partners.all()).distinct()

    def get_stats(self):
        stats = super().get_stats()
        revenue = orders_revenue_in_mad(orders=self.visible_orders(), since=now() - timedelta(hours=24))
        stats.update(
            total_revenue=revenue.total,
            total_revenue_last_day=revenue.recent,
            average_order_costs=revenue.recent_average,
        )
        return stats

    def get_hourly_report(self, orders, hours=24, segments=10):
        """Oscar's chart of the last `hours` hours in two-hour bars, summed in MAD in one query."""
        start = now().replace(minute=0, second=0) - timedelta(hours=hours - 1)
        periods = [(start + timedelta(hours=h), start + timedelta(hours=h + 2)) for h in range(0, hours, 2)]
        totals = orders_revenue_per_period_in_mad(orders=orders, periods=periods)
        ends = [end for __, end in periods]
        bars = [{"end_time": end, "total_incl_tax": total} for end, total in zip(ends, totals, strict=True)]
        return {**_y_axis(bars, segments=segments), "order_total_hourly": bars}


def _y_axis(bars: list[dict], *, segments: int) -> dict:
    """Oscar's y axis: the peak rounded up to a round number, each bar's height in percent of it."""
    max_value = max(bar["total_incl_tax"] for bar in bars)
    divisor = 1
    while divisor < max_value / 50:
        divisor *= 10
    max_value = (max_value / divisor).quantize(Decimal("1"), rounding=ROUND_UP) * divisor
    for bar in bars:
        bar["percentage"] = int(bar["total_incl_tax"] / (max_value / Decimal("100.0"))) if max_value else 0
    if not max_value:
        return {"max_revenue": max_value, "y_range": []}
    step = max_value / Decimal(segments)
    return {"max_revenue": max_value, "y_range": [i * step for i in reversed(range(segments + 1))]}
