"""Our PaymentIntent records kept in step with Stripe through the services."""

from decimal import Decimal

import pytest
from django.utils import translation

from shop.payment.exceptions import AuthenticationRequired, CardDeclined
from shop.payment.services import (
    stripe_payment_intent_confirm,
    stripe_payment_intent_create,
    stripe_payment_intent_sync,
    stripe_refund_create,
)

pytestmark = pytest.mark.django_db


def test_creating_twice_for_the_same_order_and_total_reuses_one_intent(stripe_double):
    first = stripe_payment_intent_create(order_number="100061", amount=Decimal("73.40"), currency="EUR")
    second = stripe_payment_intent_create(order_number="100061", amount=Decimal("73.40"), currency="EUR")

    assert first.pk == second.pk and len(stripe_double.intents) == 1
    assert (first.amount, first.currency, first.status) == (
        Decimal("73.40"),
        "EUR",
        "requires_payment_method",
    )
    assert stripe_double.intents[first.intent_id]["metadata"]["order_number"] == "100061"


def test_a_successful_card_payment_is_recorded_and_announced_after_commit(
    stripe_double, succeeded_signals, django_capture_on_commit_callbacks
):
    record = stripe_payment_intent_create(order_number="100062", amount=Decimal("12.00"), currency="EUR")

    with django_capture_on_commit_callbacks(execute=True):
        stripe_payment_intent_confirm(intent=record, payment_method="pm_card_visa")

    assert record.status == "succeeded" and record.latest_charge.startswith("ch_")
    assert succeeded_signals == [record.intent_id]


def test_a_decline_is_recorded_then_raised(stripe_double):
    record = stripe_payment_intent_create(order_number="100063", amount=Decimal("12.00"), currency="EUR")

    with pytest.raises(CardDeclined):
        stripe_payment_intent_confirm(intent=record, payment_method="pm_card_chargeDeclined")

    record.refresh_from_db()
    assert (record.status, record.last_error_code) == ("requires_payment_method", "generic_decline")


def test_sca_marks_the_intent_waiting_and_a_sync_after_authentication_marks_it_paid(stripe_double):
    record = stripe_payment_intent_create(order_number="100064", amount=Decimal("99.90"), currency="EUR")
    with pytest.raises(AuthenticationRequired):
        stripe_payment_intent_confirm(intent=record, payment_method="pm_card_authenticationRequired")
    assert record.status == "requires_action"

    stripe_double.authenticate(record.intent_id)
    stripe_payment_intent_sync(intent=record)

    assert record.status == "succeeded"


def test_refunds_only_a_paid_intent_and_never_more_than_is_left(stripe_double):
    record = stripe_payment_intent_create(order_number="100065", amount=Decimal("40.00"), currency="EUR")
    with translation.override("en"), pytest.raises(ValueError, match="succeeded"):
        stripe_refund_create(intent=record, amount=Decimal("1.00"), idempotency_key="r-0")
    stripe_payment_intent_confirm(intent=record, payment_method="pm_card_visa")

    with translation.override("en"), pytest.raises(ValueError, match="at most"):
        stripe_refund_create(intent=record, amount=Decimal("40.01"), idempotency_key="r-1")
    refund = stripe_refund_create(intent=record, amount=Decimal("15.90"), idempotency_key="r-2")

    assert refund.amount == Decimal("15.90") and refund.payment_intent == record.intent_id
    assert stripe_double.refunds[refund.id]["metadata"] == {"order_number": "100065"}
