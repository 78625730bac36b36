"""Receiving at the hub and the consolidated shipment."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from cooperatives.models import Lot
from fulfilment.models import ProducerFulfilment
from gie.services import collection_round_open, consolidated_shipment_create, round_lines_receive
from tests.fulfilment.helpers import product_of
from tests.gie.conftest import hub_order

pytestmark = pytest.mark.django_db


def _round(gie, members):
    return collection_round_open(
        gie=gie, name="R", collection_date=datetime.date(2026, 11, 25), member_ids=[m.pk for m in members]
    )


def _lots_quantities():
    return dict(Lot.objects.values_list("pk", "quantity"))


def test_a_shortfall_at_the_hub_cancels_and_refunds_the_missing_units_without_restocking(
    mawrout, members, django_capture_on_commit_callbacks
):
    # given 2 dates ordered from Nakhil Aoufous, collected in a round
    order = hub_order()
    round_ = _round(mawrout, members.values())
    dates_rl = round_.lines.get(partner__slug="nakhil-aoufous")
    other_rl = round_.lines.get(partner__slug="al-wahda-rissani")
    lots_before = _lots_quantities()
    mail.outbox.clear()

    # when the hub receives only 1 of the 2 and all of the other line
    with django_capture_on_commit_callbacks(execute=True):
        round_lines_receive(
            round_=round_, received={dates_rl.pk: 1, other_rl.pk: 1}, shortfall_confirmed=True
        )

    # then one unit is cancelled and refunded, the lots are untouched, the customer is told
    fl = dates_rl.fulfilment_line
    fl.refresh_from_db()
    assert (fl.quantity_cancelled, fl.quantity_open) == (1, 1)
    fulfilment = ProducerFulfilment.objects.get(pk=fl.fulfilment_id)
    assert fulfilment.refund_due == fl.line.unit_price_incl_tax
    assert fulfilment.status == "pending"
    assert _lots_quantities() == lots_before
    customer_mails = [m for m in mail.outbox if m.to == [order.email]]
    assert len(customer_mails) == 1 and fl.line.title in customer_mails[0].body


def test_a_shortfall_is_refused_until_confirmed_and_names_each_short_line(mawrout, members):
    # given an order of 2 dates and 1 figs in a round
    order = hub_order()
    round_ = _round(mawrout, members.values())
    dates_rl = round_.lines.get(partner__slug="nakhil-aoufous")
    figs_rl = round_.lines.get(partner__slug="al-wahda-rissani")

    # when the hub records 1 date and no figs without confirming
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        round_lines_receive(round_=round_, received={dates_rl.pk: 1, figs_rl.pk: 0})

    # then it is refused with the lines listed, and nothing is written
    assert refused.value.code == "shortfall_unconfirmed"
    with translation.override("en"):
        message = " ".join(refused.value.messages)
    for rl, missing in ((dates_rl, 1), (figs_rl, 1)):
        assert f"“{rl.fulfilment_line.line.title}” of {rl.partner.name}" in message
        assert f"order {order.number}: {missing} unit(s) missing" in message
    assert not round_.lines.filter(quantity_received__isnull=False).exists()
    assert set(order.fulfilments.values_list("status", "refund_due")) == {("pending", Decimal("0.00"))}


def test_nothing_received_cancels_the_whole_fulfilment_with_its_shipping(mawrout, members):
    order = hub_order()
    round_ = _round(mawrout, members.values())
    rl = round_.lines.get(partner__slug="nakhil-aoufous")

    round_lines_receive(round_=round_, received={rl.pk: 0}, shortfall_confirmed=True)

    fulfilment = order.fulfilments.get(partner__slug="nakhil-aoufous")
    assert fulfilment.status == "cancelled"
    line = rl.fulfilment_line.line
    assert fulfilment.refund_due == line.unit_price_incl_tax * 2 + fulfilment.shipping_charge


@pytest.mark.parametrize("quantity", [-1, 3])
def test_receiving_more_than_expected_or_negative_is_refused_and_writes_nothing(mawrout, members, quantity):
    hub_order()
    round_ = _round(mawrout, members.values())
    rl = round_.lines.get(partner__slug="nakhil-aoufous")

    with translation.override("en"), pytest.raises(ValidationError, match="between 0 and 2"):
        round_lines_receive(round_=round_, received={rl.pk: quantity})

    rl.refresh_from_db()
    assert rl.quantity_received is None
    assert rl.fulfilment_line.fulfilment.refund_due == Decimal("0.00")


def test_a_consolidated_shipment_ships_every_member_fulfilment_with_one_email(
    mawrout, members, django_capture_on_commit_callbacks
):
    # given an order whose two member lines were received at the hub, one short
    order = hub_order()
    round_ = _round(mawrout, members.values())
    received = {rl.pk: rl.quantity for rl in round_.lines.all()}
    short = round_.lines.get(partner__slug="nakhil-aoufous")
    received[short.pk] = 1
    round_lines_receive(round_=round_, received=received, shortfall_confirmed=True)
    mail.outbox.clear()

    # when the coordinator ships the parcel
    with django_capture_on_commit_callbacks(execute=True):
        shipment = consolidated_shipment_create(
            gie=mawrout, order_number=order.number, carrier="Amana", tracking_number="AM123MA"
        )

    # then both fulfilments are shipped together with the same tracking, and the customer gets one e-mail
    fulfilments = list(order.fulfilments.all())
    assert {f.status for f in fulfilments} == {"shipped"}
    assert {f.tracking_number for f in fulfilments} == {"AM123MA"}
    assert set(shipment.fulfilments.all()) == set(fulfilments)
    short.fulfilment_line.refresh_from_db()
    assert short.fulfilment_line.quantity_shipped == 1
    customer_mails = [m for m in mail.outbox if m.to == [order.email]]
    assert len(customer_mails) == 1 and "AM123MA" in customer_mails[0].body
    order.refresh_from_db()
    assert order.status == "Shipped"


def test_a_parcel_cannot_leave_before_the_hub_received_every_line(mawrout, members):
    order = hub_order()
    _round(mawrout, [members["nakhil-aoufous"]])

    with translation.override("en"), pytest.raises(ValidationError, match="not received"):
        consolidated_shipment_create(gie=mawrout, order_number=order.number, carrier="Amana")

    assert set(order.fulfilments.values_list("status", flat=True)) == {"pending"}


def test_another_gie_cannot_ship_this_gies_order(mawrout, other_gie):
    order = hub_order([(product_of("nakhil-aoufous"), 1)])

    with translation.override("en"), pytest.raises(ValidationError, match="Nothing left"):
        consolidated_shipment_create(gie=other_gie, order_number=order.number, carrier="Amana")


def test_an_arabic_customer_reads_the_shortfall_and_the_parcel_in_arabic(
    mawrout, members, django_capture_on_commit_callbacks
):
    # given an order placed on the Arabic storefront, one line short at the hub
    order = hub_order(language="ar")
    round_ = _round(mawrout, members.values())
    received = {rl.pk: rl.quantity for rl in round_.lines.all()}
    received[round_.lines.get(partner__slug="nakhil-aoufous").pk] = 1
    mail.outbox.clear()

    # when the workers, in French, tell the customer of the shortfall, then of the parcel
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        round_lines_receive(round_=round_, received=received, shortfall_confirmed=True)
        consolidated_shipment_create(
            gie=mawrout, order_number=order.number, carrier="Amana", tracking_number="AM123MA"
        )

    # then both are in Arabic
    subjects = [m.subject for m in mail.outbox if m.to == [order.email]]
    assert subjects == [
        f"جزء من طلبك رقم {order.number} غير متوفر",
        f"طلبك رقم {order.number} في الطريق إليك",
    ]
