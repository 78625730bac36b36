"""The nightly sweep: lots past their best-before date stop counting in the stock that is sold."""

import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from cooperatives.services import lot_create, lots_expired_sweep
from cooperatives.tasks import lots_expired_sweep as lots_expired_sweep_task

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_a_lot_that_expired_overnight_leaves_the_sellable_stock(demo):
    # given a stock record with a lot whose last sellable day is today
    today = timezone.localdate()
    record = StockRecord.objects.filter(partner__slug="nakhil-aoufous").order_by("pk").first()
    before = record.num_in_stock
    lot_create(stockrecord=record, code="DATES-LAST-DAY", quantity=7, best_before=today)
    record.refresh_from_db()
    assert record.num_in_stock == before + 7
    assert lots_expired_sweep_task.apply().result == 0  # nothing has expired yet today

    # when the sweep runs the next night, twice
    tomorrow = today + datetime.timedelta(days=1)
    first = lots_expired_sweep(today=tomorrow)
    second = lots_expired_sweep(today=tomorrow)

    # then that record's stock no longer counts the expired lot, and the second run had nothing to do
    record.refresh_from_db()
    assert record.num_in_stock == before
    assert first >= 1 and second == 0
