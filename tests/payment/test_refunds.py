"""A producer's part that is not delivered is refunded on the card, exactly, once."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from fulfilment.models import ProducerFulfilment
from fulfilment.services import (
    producer_fulfilment_accept,
    producer_fulfilment_cancel,
    producer_fulfilment_pack,
    producer_fulfilment_ship,
)
from shop.payment.models import StripePaymentIntent, StripeRefund
from shop.payment.refunds import fulfilment_refund_send
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay, product_of

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Source = get_model("payment", "Source")

pytestmark = pytest.mark.django_db

SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"


@pytest.fixture
def card_order(client, demo, stripe_double):
    card_checkout_until_payment_page(client, [(product_of(SAFFRON), 1), (product_of(ARGAN), 2)])
    pay(client, "pm_card_visa")
    return Order.objects.get()


def _fulfilment(order, slug):
    return ProducerFulfilment.objects.get(order=order, partner__slug=slug)


def test_a_cancelled_producer_part_is_refunded_exactly_lines_and_its_shipping(
    card_order, stripe_double, django_capture_on_commit_callbacks
):
    saffron = _fulfilment(card_order, SAFFRON)
    line = saffron.lines.get().line
    expected = line.line_price_incl_tax + saffron.shipping_charge

    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_cancel(fulfilment=saffron, reason="Frost on the saffron fields")

    (remote,) = stripe_double.refunds.values()
    assert remote["amount"] == int(expected * 100) and remote["currency"] == "mad"
    assert remote["metadata"] == {"fulfilment": str(saffron.pk), "order_number": card_order.number}
    refund = StripeRefund.objects.get()
    assert (refund.refund_id, refund.amount) == (remote["id"], expected)
    event = PaymentEvent.objects.get(order=card_order, event_type__code="refund")
    assert event.event_type.name == "Refund" and event.amount == expected and event.reference == remote["id"]
    assert {(q.line_id, q.quantity) for q in event.line_quantities.all()} == {(line.pk, 1)}
    assert StripePaymentIntent.objects.get().amount_refunded == expected
    assert Source.objects.get(order=card_order).amount_refunded == expected
    assert _fulfilment(card_order, ARGAN).refund_due == Decimal("0.00")  # the other producer is untouched


def test_sending_the_same_fulfilment_refund_again_refunds_nothing_more(
    card_order, stripe_double, django_capture_on_commit_callbacks
):
    saffron = _fulfilment(card_order, SAFFRON)
    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_cancel(fulfilment=saffron)
    refund = StripeRefund.objects.get()

    again = fulfilment_refund_send(
        order_id=card_order.pk,
        fulfilment_id=saffron.pk,
        amount=refund.amount,
        key=refund.idempotency_key,
        quantities={},
    )

    assert again.pk == refund.pk
    assert len(stripe_double.refunds) == 1
    assert PaymentEvent.objects.filter(event_type__code="refund").count() == 1


def test_a_shortfall_at_shipping_refunds_the_missing_units_without_shipping(
    card_order, stripe_double, django_capture_on_commit_callbacks
):
    argan = _fulfilment(card_order, ARGAN)
    line = argan.lines.get().line
    producer_fulfilment_accept(fulfilment=argan)
    producer_fulfilment_pack(fulfilment=argan)

    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_ship(fulfilment=argan, carrier="Amana", quantities={line.pk: 1})

    (remote,) = stripe_double.refunds.values()
    assert remote["amount"] == int(line.unit_price_incl_tax * 100)
    assert PaymentEvent.objects.get(event_type__code="refund").amount == line.unit_price_incl_tax


def test_a_cash_on_delivery_order_sends_nothing_to_stripe(
    client, demo, stripe_double, django_capture_on_commit_callbacks
):
    add_to_basket(client, product_of(SAFFRON))
    guest_checkout_until_preview(client)
    client.post("/checkout/payment-method/", {"method": "cod"})
    client.post("/checkout/preview/", {"action": "place_order"})
    order = Order.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        producer_fulfilment_cancel(fulfilment=_fulfilment(order, SAFFRON))

    assert _fulfilment(order, SAFFRON).refund_due > 0  # owed only if cash was taken; recorded, not sent
    assert not stripe_double.refunds and not StripeRefund.objects.exists()
    assert not PaymentEvent.objects.filter(event_type__code="refund").exists()
