"""Helpers for PostgreSQL tests that need committed data and several connections at once."""

import threading
from decimal import Decimal

from django.db import connection
from django.utils import timezone


def in_own_connection(work):
    """Run `work` in a thread, on its own autocommit connection, and return its result.

    Data written this way is committed, so other threads' connections see it (the test's own
    transaction would hide it from them).
    """
    box = {}

    def run():
        try:
            box["result"] = work()
        except Exception as exc:  # re-raised in the caller's thread
            box["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if thread.is_alive():
        raise TimeoutError("work in its own connection did not finish within 120 s")
    if "error" in box:
        raise box["error"]
    return box.get("result")


def order_with_line_create(*, number: str, partner, title: str, price: Decimal = Decimal("10.00")):
    """A one-line order of `partner`, written directly (no checkout, no stock): the rows the
    concurrency tests commit from their own connections and delete afterwards by number prefix."""
    from oscar.core.loading import get_model

    order = get_model("order", "Order").objects.create(
        number=number, total_incl_tax=price, total_excl_tax=price, date_placed=timezone.now()
    )
    line = get_model("order", "Line").objects.create(
        order=order,
        partner=partner,
        partner_sku="X",
        title=title,
        quantity=1,
        unit_price_incl_tax=price,
        unit_price_excl_tax=price,
        line_price_incl_tax=price,
        line_price_excl_tax=price,
        line_price_before_discounts_incl_tax=price,
        line_price_before_discounts_excl_tax=price,
        num_allocated=1,
    )
    return order, line
