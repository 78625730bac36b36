"""The webhook endpoint, fed events signed with Stripe's real scheme."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from shop.payment import services
from shop.payment.models import StripeEvent, StripePaymentIntent
from shop.payment.services import stripe_payment_intent_confirm, stripe_payment_intent_create
from tests.payment.conftest import WEBHOOK_SECRET
from tests.stripe_double import event_payload, signature_header

pytestmark = pytest.mark.django_db
URL = "/payments/stripe/webhook/"


def _post(client, payload, *, secret=WEBHOOK_SECRET, timestamp=None):
    header = signature_header(payload=payload, secret=secret, timestamp=timestamp)
    return client.post(URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.fixture
def paid_intent(stripe_double):
    """An intent paid by 3-D Secure after the customer left our page: only the webhook tells us."""
    record = stripe_payment_intent_create(order_number="100051", amount=Decimal("64.90"), currency="EUR")
    stripe_double.intents[record.intent_id]["payment_method"] = "pm_card_visa"
    return record, stripe_double.authenticate(record.intent_id)


def test_the_webhook_url_is_stable_and_post_only(client, stripe_double):
    assert reverse("stripe-webhook") == URL
    assert client.get(URL).status_code == 405


def test_a_forged_signature_is_rejected_and_nothing_is_recorded(client, paid_intent):
    _record, intent = paid_intent
    payload = event_payload(event_type="payment_intent.succeeded", obj=intent)

    response = _post(client, payload, secret="whsec_forged")

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert StripePaymentIntent.objects.get(intent_id=intent["id"]).status == "requires_payment_method"


def test_a_missing_signature_and_a_tampered_body_are_rejected(client, paid_intent):
    _record, intent = paid_intent
    payload = event_payload(event_type="payment_intent.succeeded", obj=intent)
    header = signature_header(payload=payload, secret=WEBHOOK_SECRET)

    assert client.post(URL, data=payload, content_type="application/json").status_code == 400
    tampered = payload.replace('"amount": 6490', '"amount": 1')
    response = client.post(URL, data=tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_signature_older_than_five_minutes_is_rejected(client, paid_intent):
    _record, intent = paid_intent
    payload = event_payload(event_type="payment_intent.succeeded", obj=intent)

    response = _post(client, payload, timestamp=int(time.time()) - 301)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_payment_succeeded_after_the_page_was_closed_is_recorded_and_announced_once(
    client, paid_intent, succeeded_signals, django_capture_on_commit_callbacks
):
    # given the customer authenticated 3-D Secure and closed the page before coming back
    record, intent = paid_intent
    payload = event_payload(event_type="payment_intent.succeeded", obj=intent)

    # when Stripe delivers the event five times
    with django_capture_on_commit_callbacks(execute=True):
        responses = [_post(client, payload) for _ in range(5)]

    # then one event, one status change, one signal for order placement
    assert [r.status_code for r in responses] == [200] * 5
    assert [r.json()["duplicate"] for r in responses] == [False, True, True, True, True]
    assert StripeEvent.objects.count() == 1
    record.refresh_from_db()
    assert record.status == "succeeded" and record.latest_charge == intent["latest_charge"]
    assert succeeded_signals == [intent["id"]]


def test_a_failure_delivered_after_the_success_does_not_undo_it(
    client, paid_intent, succeeded_signals, django_capture_on_commit_callbacks
):
    record, intent = paid_intent
    failed_earlier = {
        **intent,
        "status": "requires_payment_method",
        "last_payment_error": {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
        },
    }

    with django_capture_on_commit_callbacks(execute=True):
        assert (
            _post(client, event_payload(event_type="payment_intent.succeeded", obj=intent)).status_code == 200
        )
        assert (
            _post(
                client, event_payload(event_type="payment_intent.payment_failed", obj=failed_earlier)
            ).status_code
            == 200
        )

    record.refresh_from_db()
    assert record.status == "succeeded"
    assert record.last_error_code == ""
    assert StripeEvent.objects.count() == 2 and succeeded_signals == [intent["id"]]


def test_a_payment_failure_records_the_decline(client, stripe_double):
    record = stripe_payment_intent_create(order_number="100052", amount=Decimal("20.00"), currency="EUR")
    failed = {
        **stripe_double.intents[record.intent_id],
        "last_payment_error": {
            "code": "card_declined",
            "decline_code": "insufficient_funds",
            "message": "No funds.",
        },
    }

    assert (
        _post(client, event_payload(event_type="payment_intent.payment_failed", obj=failed)).status_code
        == 200
    )

    record.refresh_from_db()
    assert record.status == "requires_payment_method"
    assert (record.last_error_code, record.last_error_message) == ("insufficient_funds", "No funds.")


def test_an_event_for_an_intent_we_have_not_stored_yet_creates_its_record(client, stripe_double):
    intent = {
        "id": "pi_unknown_1",
        "object": "payment_intent",
        "amount": 1990,
        "currency": "eur",
        "status": "succeeded",
        "metadata": {"order_number": "100077"},
        "latest_charge": "ch_1",
    }

    assert _post(client, event_payload(event_type="payment_intent.succeeded", obj=intent)).status_code == 200

    record = StripePaymentIntent.objects.get(intent_id="pi_unknown_1")
    assert (record.order_number, record.amount, record.currency, record.status) == (
        "100077",
        Decimal("19.90"),
        "EUR",
        "succeeded",
    )


def test_refund_events_keep_the_largest_cumulative_amount_whatever_their_order(client, stripe_double):
    record = stripe_payment_intent_create(order_number="100053", amount=Decimal("80.00"), currency="EUR")
    stripe_payment_intent_confirm(intent=record, payment_method="pm_card_visa")
    charge = stripe_double.charges[record.latest_charge]
    second = {**charge, "amount_refunded": 5000}
    first = {**charge, "amount_refunded": 2000}

    for obj in (second, first, second):
        assert _post(client, event_payload(event_type="charge.refunded", obj=obj)).status_code == 200

    record.refresh_from_db()
    assert record.amount_refunded == Decimal("50.00")


def test_a_dispute_flags_the_payment(client, stripe_double):
    record = stripe_payment_intent_create(order_number="100054", amount=Decimal("35.50"), currency="EUR")
    stripe_payment_intent_confirm(intent=record, payment_method="pm_card_visa")
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": 3550,
        "currency": "eur",
        "charge": record.latest_charge,
        "payment_intent": record.intent_id,
        "reason": "fraudulent",
        "status": "needs_response",
    }

    assert _post(client, event_payload(event_type="charge.dispute.created", obj=dispute)).status_code == 200

    record.refresh_from_db()
    assert record.is_disputed is True
    assert (record.dispute_id, record.dispute_reason) == ("dp_1", "fraudulent")


def test_an_event_type_without_handler_is_recorded_once_and_acknowledged(client, stripe_double):
    payload = event_payload(event_type="customer.created", obj={"id": "cus_1", "object": "customer"})

    assert _post(client, payload).status_code == 200
    assert _post(client, payload).json()["duplicate"] is True
    assert StripeEvent.objects.get().processed_at is not None


def test_without_a_webhook_secret_the_endpoint_answers_503(client, stripe_keys_absent):
    payload = event_payload(event_type="customer.created", obj={"id": "cus_1"})
    assert _post(client, payload, secret="anything").status_code == 503
    assert not StripeEvent.objects.exists()


def test_a_handler_failure_records_nothing_so_stripe_retries_the_event(client, paid_intent, monkeypatch):
    # given a handler that breaks half-way
    def broken(*, obj):
        StripePaymentIntent.objects.filter(intent_id=obj["id"]).update(status="succeeded")
        raise RuntimeError("database hiccup")

    monkeypatch.setitem(services.EVENT_HANDLERS, "payment_intent.succeeded", broken)
    record, intent = paid_intent
    payload = event_payload(event_type="payment_intent.succeeded", obj=intent)
    client.raise_request_exception = False

    # when
    response = _post(client, payload)

    # then the 500 makes Stripe deliver again, and nothing of the first attempt stays
    assert response.status_code == 500
    assert not StripeEvent.objects.exists()
    record.refresh_from_db()
    assert record.status == "requires_payment_method"
    monkeypatch.undo()
    assert _post(client, payload).status_code == 200
    record.refresh_from_db()
    assert record.status == "succeeded"
