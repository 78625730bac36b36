from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from oscar.core.loading import get_model

from fulfilment import services
from fulfilment.models import ProducerFulfilment
from fulfilment.services import (
    TRANSITIONS,
    FulfilmentInputError,
    IllegalTransition,
    order_status_from_fulfilment_statuses,
    producer_fulfilment_accept,
    producer_fulfilment_cancel,
    producer_fulfilment_deliver,
    producer_fulfilment_pack,
    producer_fulfilment_reject,
    producer_fulfilment_ship,
)
from tests.fulfilment.helpers import order_place, product_of

Lot = get_model("partner", "Lot")
StockRecord = get_model("partner", "StockRecord")
ShippingEvent = get_model("order", "ShippingEvent")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
Order = get_model("order", "Order")
Status = ProducerFulfilment.Status

pytestmark = pytest.mark.django_db

STEP_TO_STATUS = {
    "accept": Status.ACCEPTED,
    "pack": Status.PACKED,
    "ship": Status.SHIPPED,
    "deliver": Status.DELIVERED,
    "reject": Status.REJECTED,
    "cancel": Status.CANCELLED,
}


def _step(name, fulfilment, actor=None):
    function = getattr(services, f"producer_fulfilment_{name}")
    if name == "ship":
        return function(fulfilment=fulfilment, carrier="Amana", tracking_number="AM123456789MA", actor=actor)
    return function(fulfilment=fulfilment, actor=actor)


@pytest.fixture
def saffron_user(demo):
    return get_user_model().objects.get(email="saffron@example.com")


@pytest.fixture
def fulfilment(demo):
    return order_place([(product_of("souktana-safran-taliouine"), 3)]).fulfilments.get()


def test_the_happy_path_runs_pending_to_delivered_with_history_and_oscar_events(fulfilment, saffron_user):
    # when the producer goes through every step
    for step in ("accept", "pack", "ship", "deliver"):
        fulfilment = _step(step, fulfilment, actor=saffron_user)

    # then
    fulfilment.refresh_from_db()
    assert fulfilment.status == Status.DELIVERED
    assert fulfilment.carrier == "Amana" and fulfilment.tracking_number == "AM123456789MA"
    assert [(e.status_from, e.status_to) for e in fulfilment.events.all()] == [
        ("", "pending"),
        ("pending", "accepted"),
        ("accepted", "packed"),
        ("packed", "shipped"),
        ("shipped", "delivered"),
    ]
    assert {e.actor for e in fulfilment.events.exclude(status_from="")} == {saffron_user}
    codes = list(
        ShippingEvent.objects.filter(order=fulfilment.order)
        .order_by("pk")
        .values_list("event_type__code", flat=True)
    )
    assert codes == ["accepted", "packed", "shipped", "delivered"]
    shipped = ShippingEvent.objects.get(order=fulfilment.order, event_type__code="shipped")
    assert shipped.line_quantities.get().quantity == 3
    assert Order.objects.get(pk=fulfilment.order_id).status == "Delivered"


@pytest.mark.parametrize(
    "current,step",
    [
        (current, step)
        for current in Status.values
        for step, target in STEP_TO_STATUS.items()
        if target not in TRANSITIONS[current]
    ],
)
def test_every_illegal_transition_raises_and_changes_nothing(fulfilment, current, step):
    ProducerFulfilment.objects.filter(pk=fulfilment.pk).update(status=current)
    events_before = fulfilment.events.count()

    with translation.override("en"), pytest.raises(IllegalTransition, match="cannot become"):
        _step(step, fulfilment)

    fulfilment.refresh_from_db()
    assert fulfilment.status == current
    assert fulfilment.events.count() == events_before


@pytest.mark.parametrize(
    "current,step",
    [
        (current, step)
        for current in (Status.PENDING, Status.ACCEPTED, Status.PACKED, Status.SHIPPED)
        for step, target in STEP_TO_STATUS.items()
        if target in TRANSITIONS[current]
    ],
)
def test_every_legal_transition_is_taken(fulfilment, current, step):
    ProducerFulfilment.objects.filter(pk=fulfilment.pk).update(status=current)

    result = _step(step, fulfilment)

    assert result.status == STEP_TO_STATUS[step]
    assert ProducerFulfilment.objects.get(pk=fulfilment.pk).status == STEP_TO_STATUS[step]


def test_a_shortfall_ships_two_of_three_and_refunds_the_third(fulfilment):
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)
    line = fulfilment.lines.get()
    lots_before = list(
        Lot.objects.filter(stockrecord=line.line.stockrecord).values_list("quantity", flat=True)
    )

    fulfilment = producer_fulfilment_ship(
        fulfilment=fulfilment, carrier="CTM Messagerie", tracking_number="CTM-9", quantities={line.line_id: 2}
    )

    line.refresh_from_db()
    assert (line.quantity_shipped, line.quantity_cancelled) == (2, 1)
    assert fulfilment.refund_due == line.line.unit_price_incl_tax
    refund = PaymentEvent.objects.get(order=fulfilment.order, event_type__code="refund-due")
    assert refund.amount == line.line.unit_price_incl_tax
    assert refund.line_quantities.get().quantity == 1
    shipped = ShippingEvent.objects.get(order=fulfilment.order, event_type__code="shipped")
    assert shipped.line_quantities.get().quantity == 2
    # a shortfall means the unit does not exist: the lots are not topped up
    assert list(Lot.objects.filter(stockrecord=line.line.stockrecord).values_list("quantity", flat=True)) == (
        lots_before
    )


def test_shipping_more_than_ordered_or_nothing_is_refused_and_writes_nothing(fulfilment):
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)
    line_id = fulfilment.lines.get().line_id

    with translation.override("en"), pytest.raises(FulfilmentInputError, match="between 0 and 3"):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", quantities={line_id: 4})
    with translation.override("en"), pytest.raises(FulfilmentInputError, match="Nothing to ship"):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", quantities={line_id: 0})
    with translation.override("en"), pytest.raises(FulfilmentInputError, match="carrier"):
        producer_fulfilment_ship(fulfilment=fulfilment, carrier=" ")

    fulfilment.refresh_from_db()
    assert fulfilment.status == Status.PACKED
    assert not ShippingEvent.objects.filter(order=fulfilment.order, event_type__code="shipped").exists()


@pytest.mark.parametrize("withdraw", [producer_fulfilment_cancel, producer_fulfilment_reject])
def test_cancel_or_reject_puts_units_back_into_the_exact_lots_and_records_the_refund(demo, withdraw):
    # given an order line that took units from two lots (lot A holds 20 units of TAL-001)
    saffron = product_of("souktana-safran-taliouine")
    record = StockRecord.objects.get(product=saffron)
    lots_before = dict(Lot.objects.filter(stockrecord=record).values_list("code", "quantity"))
    first_lot_units = min(lots_before.values())
    order = order_place([(saffron, first_lot_units + 2)])
    fulfilment = order.fulfilments.get()
    allocations = {a.lot.code: a.quantity for a in fulfilment.lines.get().line.lot_allocations.all()}
    assert len(allocations) == 2

    # when
    fulfilment = withdraw(fulfilment=fulfilment, reason="Out of stock at the cooperative")

    # then the lots hold what they held before, and the stock record follows
    assert dict(Lot.objects.filter(stockrecord=record).values_list("code", "quantity")) == lots_before
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == sum(lots_before.values())
    line = fulfilment.lines.get()
    assert line.quantity_cancelled == line.quantity
    assert set(line.line.lot_allocations.values_list("quantity", flat=True)) == {0}
    assert fulfilment.refund_due == order.total_incl_tax
    assert PaymentEvent.objects.get(order=order, event_type__code="refund-due").amount == order.total_incl_tax
    assert Order.objects.get(pk=order.pk).status == "Cancelled"
    assert fulfilment.events.last().note == "Out of stock at the cooperative"


def test_cancelling_one_producer_leaves_the_other_producers_stock_alone(demo):
    saffron, argan = product_of("souktana-safran-taliouine"), product_of("tifawin-argan-tiznit")
    order = order_place([(saffron, 1), (argan, 1)])
    argan_stock = StockRecord.objects.get(product=argan).num_in_stock
    saffron_stock = StockRecord.objects.get(product=saffron).num_in_stock

    producer_fulfilment_cancel(fulfilment=order.fulfilments.get(partner__slug="souktana-safran-taliouine"))

    assert StockRecord.objects.get(product=saffron).num_in_stock == saffron_stock + 1
    assert StockRecord.objects.get(product=argan).num_in_stock == argan_stock
    assert Order.objects.get(pk=order.pk).status == "Pending"


def test_the_order_status_follows_its_producers(demo):
    order = order_place(
        [(product_of("souktana-safran-taliouine"), 1), (product_of("tifawin-argan-tiznit"), 1)]
    )
    first, second = order.fulfilments.order_by("pk")

    producer_fulfilment_accept(fulfilment=first)
    assert Order.objects.get(pk=order.pk).status == "Being processed"
    producer_fulfilment_pack(fulfilment=first)
    _step("ship", first)
    assert Order.objects.get(pk=order.pk).status == "Partly shipped"
    producer_fulfilment_reject(fulfilment=second)
    assert Order.objects.get(pk=order.pk).status == "Shipped"
    producer_fulfilment_deliver(fulfilment=first)
    assert Order.objects.get(pk=order.pk).status == "Delivered"
    assert order.status_changes.count() == 4


def test_order_status_from_fulfilment_statuses():
    assert order_status_from_fulfilment_statuses(["pending", "pending"]) == "Pending"
    assert order_status_from_fulfilment_statuses(["pending", "packed"]) == "Being processed"
    assert order_status_from_fulfilment_statuses(["shipped", "pending"]) == "Partly shipped"
    assert order_status_from_fulfilment_statuses(["shipped", "delivered", "cancelled"]) == "Shipped"
    assert order_status_from_fulfilment_statuses(["delivered", "rejected"]) == "Delivered"
    assert order_status_from_fulfilment_statuses(["rejected", "cancelled"]) == "Cancelled"
    assert order_status_from_fulfilment_statuses([]) is None


def test_delivery_of_a_cash_on_delivery_order_records_the_cash_collected(fulfilment):
    order = fulfilment.order
    source_type, __ = SourceType.objects.get_or_create(code="cash-on-delivery", defaults={"name": "COD"})
    Source.objects.create(order=order, source_type=source_type, amount_allocated=order.total_incl_tax)
    for step in ("accept", "pack", "ship", "deliver"):
        fulfilment = _step(step, fulfilment)

    collected = PaymentEvent.objects.get(order=order, event_type__code="cash-collected")

    # one producer: its lines plus its parcel charge are the whole order
    assert collected.amount == order.total_incl_tax
    assert fulfilment.shipping_charge == Decimal("35.00")
