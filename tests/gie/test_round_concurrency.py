"""Two coordinators opening rounds at the same moment on PostgreSQL: each line lands in one round.

The rows are committed from other threads (own connections), so the fixture deletes them afterwards.
"""

import threading

import pytest
from django.db import connection
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.models import FulfilmentLine, ProducerFulfilment
from gie.models import CollectionRound, Gie, RoundLine
from gie.services import collection_round_open
from tests.concurrency import in_own_connection, order_with_line_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
LINES = 40


def _hub_lines_create():
    gie = Gie.objects.create(name="GIE Course", slug="gie-course")
    member = Partner.objects.create(
        name="Coopérative Course GIE", code="course-gie", fulfilment_module="gie_hub"
    )
    gie.members.add(member)
    for index in range(LINES):
        order, line = order_with_line_create(number=f"RACE-GIE-{index}", partner=member, title="Dattes")
        fulfilment = ProducerFulfilment.objects.create(
            order=order,
            partner=member,
            module="gie_hub",
            shipping_method_code="gie_hub-ma",
            routing_key=f"gie:{gie.pk}",
        )
        FulfilmentLine.objects.create(fulfilment=fulfilment, line=line, quantity=1)
    return gie, member


def _hub_lines_delete(gie, member):
    RoundLine.objects.filter(round__gie=gie).delete()
    CollectionRound.objects.filter(gie=gie).delete()
    Order.objects.filter(number__startswith="RACE-GIE-").delete()
    gie.delete()
    member.delete()


@pytest.fixture
def committed_hub_lines(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections (SQLite serialises all writers)")
    gie, member = in_own_connection(_hub_lines_create)
    try:
        yield gie, member
    finally:
        in_own_connection(lambda: _hub_lines_delete(gie, member))


def test_two_rounds_opened_at_once_never_take_the_same_line(committed_hub_lines):
    # given 40 pending hub lines of one member
    gie, member = committed_hub_lines
    barrier = threading.Barrier(2, timeout=60)
    results = [None, None]

    def open_round(index):
        try:
            barrier.wait()
            round_ = collection_round_open(
                gie=gie, name=f"R{index}", collection_date=timezone.localdate(), member_ids=[member.pk]
            )
            results[index] = round_.pk
        except Exception as exc:
            results[index] = repr(exc)
        finally:
            connection.close()

    # when two coordinators open a round at the same moment
    threads = [threading.Thread(target=open_round, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then both succeed, and every line is in exactly one of them
    assert all(isinstance(r, int) for r in results), results
    counts = in_own_connection(
        lambda: sorted(RoundLine.objects.filter(round_id__in=results).values_list("round_id", flat=True))
    )
    assert len(counts) == LINES
    assert sorted([counts.count(results[0]), counts.count(results[1])]) == [0, LINES]
