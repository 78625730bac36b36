"""Two settlement runs at the same moment on PostgreSQL (staff and a coordinator clicking together):
each delivered fulfilment is settled exactly once, and neither run fails.

The rows are committed from other threads (own connections), so the fixture deletes them afterwards.
"""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.models import (
    FulfilmentEvent,
    FulfilmentLine,
    ProducerFulfilment,
    SettlementLine,
    SettlementStatement,
)
from fulfilment.settlements import settlements_create
from tests.concurrency import in_own_connection, order_with_line_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
DELIVERIES = 30
TODAY = timezone.localdate()


def _deliveries_create():
    producer = Partner.objects.create(name="Coopérative Course Relevés", code="course-releves")
    for index in range(DELIVERIES):
        order, line = order_with_line_create(number=f"RACE-SETTLE-{index}", partner=producer, title="Safran")
        fulfilment = ProducerFulfilment.objects.create(
            order=order, partner=producer, module="self_ship", status=ProducerFulfilment.Status.DELIVERED
        )
        FulfilmentLine.objects.create(fulfilment=fulfilment, line=line, quantity=1, quantity_shipped=1)
        FulfilmentEvent.objects.create(fulfilment=fulfilment, status_from="shipped", status_to="delivered")
    return producer


def _deliveries_delete(producer):
    SettlementLine.objects.filter(statement__partner=producer).delete()
    SettlementStatement.objects.filter(partner=producer).delete()
    Order.objects.filter(number__startswith="RACE-SETTLE-").delete()
    producer.delete()


@pytest.fixture
def committed_deliveries(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and concurrent connections (SQLite serialises all writers)")
    producer = in_own_connection(_deliveries_create)
    try:
        yield producer
    finally:
        in_own_connection(lambda: _deliveries_delete(producer))


def test_two_runs_at_once_settle_each_delivery_once_and_neither_fails(committed_deliveries):
    producer = committed_deliveries
    periods = [
        {"period_start": TODAY.replace(day=1), "period_end": TODAY},
        {"period_start": TODAY - datetime.timedelta(days=40), "period_end": TODAY},
    ]
    barrier = threading.Barrier(2, timeout=60)
    results = [None, None]

    def run(index):
        try:
            barrier.wait()
            statements = settlements_create(**periods[index], partner_ids=[producer.pk])
            results[index] = [s.fulfilments_count for s in statements]
        except Exception as exc:
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # one run settled all 30, the other found nothing left — no IntegrityError, nothing twice
    assert {repr(result) for result in results} == {"[]", f"[{DELIVERIES}]"}, results
    settled = in_own_connection(
        lambda: list(
            SettlementLine.objects.filter(statement__partner=producer).values_list("fulfilment_id", flat=True)
        )
    )
    assert len(settled) == len(set(settled)) == DELIVERIES
