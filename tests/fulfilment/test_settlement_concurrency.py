"""Two settlement runs at the same moment on PostgreSQL (staff and a coordinator clicking together):
each delivered fulfilment is settled exactly once, and neither run fails.

The orders are placed, delivered and their cash remitted as users do, committed from another thread
(own connection); the fixtures delete everything afterwards.
"""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.models import NotificationSent
from fulfilment.models import ProducerFulfilment, SettlementLine, SettlementStatement
from gie.models import Gie
from gie.services import gie_coordinator_add, gie_member_add, gie_settlements_draw_up
from tests.concurrency import in_own_connection
from tests.fulfilment.helpers import order_place
from tests.fulfilment.settlement_helpers import order_delivered, remitted, staff
from tests.fulfilment.test_concurrency import committed_scarce_products  # noqa: F401  (used by name)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
DELIVERIES = 20  # every unit of the two scarce products, one per order
TODAY = timezone.localdate()
COORDINATOR = "course-coordinator@example.com"


def _deliveries_create(products):
    producer = products[0].stockrecords.get().partner
    gie = Gie.objects.create(name="GIE Course", slug="gie-course-reglements")
    gie_member_add(gie=gie, producer=producer)
    gie_coordinator_add(gie=gie, user=get_user_model().objects.create_user(username=COORDINATOR))
    fulfilments = []
    for index in range(DELIVERIES):
        fulfilments += order_delivered(order_place([(products[index % 2], 1)]))
    remitted(fulfilments, reference="AMANA-COURSE")
    return gie, producer


def _deliveries_delete(gie, producer):
    SettlementLine.objects.filter(statement__partner=producer).delete()
    SettlementStatement.objects.filter(partner=producer).delete()
    shipped = Q()
    for pk in ProducerFulfilment.objects.filter(partner=producer).values_list("pk", flat=True):
        shipped |= Q(key__startswith=f"fulfilment-shipped:{pk}:")
    if shipped:
        NotificationSent.objects.filter(shipped).delete()
    gie.delete()
    get_user_model().objects.filter(username=COORDINATOR).delete()


@pytest.fixture
def committed_deliveries(committed_scarce_products):  # noqa: F811
    gie, producer = in_own_connection(lambda: _deliveries_create(committed_scarce_products))
    try:
        yield gie, producer
    finally:
        in_own_connection(lambda: _deliveries_delete(gie, producer))


def test_two_runs_at_once_settle_each_delivery_once_and_neither_fails(committed_deliveries):
    gie, producer = committed_deliveries
    runs = [
        {"actor": staff(), "period_start": TODAY.replace(day=1), "period_end": TODAY},
        {
            "actor": get_user_model().objects.get(username=COORDINATOR),
            "period_start": TODAY - datetime.timedelta(days=40),
            "period_end": TODAY,
        },
    ]
    barrier = threading.Barrier(2, timeout=60)
    results = [None, None]

    def run(index):
        try:
            barrier.wait()
            statements = gie_settlements_draw_up(gie=gie, **runs[index])
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

    # one run settled all of them, the other found nothing left — no IntegrityError, nothing twice
    assert {repr(result) for result in results} == {"[]", f"[{DELIVERIES}]"}, results
    settled = in_own_connection(
        lambda: list(
            SettlementLine.objects.filter(statement__partner=producer).values_list("fulfilment_id", flat=True)
        )
    )
    assert len(settled) == len(set(settled)) == DELIVERIES
