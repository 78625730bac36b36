"""Oscar's purchase analytics, moved out of the placement transaction.

Oscar updates one shared counter row per product while the order's stock rows are still locked,
in basket order: concurrent checkouts deadlocked on those rows (seen by the 64-buyer test).
After commit, each counter update is its own short transaction.
"""

from functools import partial

from django.db import transaction
from oscar.apps.order.signals import order_placed


def analytics_order_placed_after_commit() -> None:
    from oscar.apps.analytics import receivers

    if order_placed.disconnect(receivers.receive_order_placed):
        order_placed.connect(_order_placed_deferred, dispatch_uid="terroir-analytics-after-commit")


def _order_placed_deferred(sender, order, user=None, **kwargs):
    from oscar.apps.analytics import receivers

    transaction.on_commit(partial(receivers.receive_order_placed, sender, order=order, user=user, **kwargs))
