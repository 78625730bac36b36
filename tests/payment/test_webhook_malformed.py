"""A genuine signature on a malformed body: answered 400, and nothing recorded."""

import json

import pytest

from shop.payment.models import StripeEvent, StripePaymentIntent
from tests.payment.conftest import WEBHOOK_SECRET
from tests.stripe_double import signature_header

pytestmark = pytest.mark.django_db
URL = "/payments/stripe/webhook/"
INTENT = {
    "id": "pi_malformed",
    "object": "payment_intent",
    "amount": 6490,
    "currency": "eur",
    "status": "succeeded",
}


def _event(event_type="payment_intent.succeeded", **changes):
    event = {"id": "evt_malformed", "object": "event", "type": event_type, "data": {"object": dict(INTENT)}}
    for path, value in changes.items():
        *parents, name = path.split("__")
        target = event
        for parent in parents:
            target = target[parent]
        if value is DELETE:
            del target[name]
        else:
            target[name] = value
    return json.dumps(event)


DELETE = object()
MALFORMED = {
    "not-json": "this is not JSON",
    "truncated-json": '{"id": "evt_1", "type": "payment_intent.succeeded", "data": {',
    "a-json-list": "[1, 2, 3]",
    "a-json-string": '"payment_intent.succeeded"',
    "no-type": _event(type=DELETE),
    "type-not-a-string": _event(type=["payment_intent.succeeded"]),
    "id-not-a-string": _event(id={"evt": 1}),
    "no-data": _event(data=DELETE),
    "data-not-an-object": _event(data="pi_malformed"),
    "no-data-object": _event(data__object=DELETE),
    "data-object-a-list": _event(data__object=[INTENT]),
    "unhandled-type-without-object": _event("customer.created", data__object=DELETE),
    "intent-without-id": _event(data__object__id=DELETE),
    "intent-without-amount": _event(data__object__amount=DELETE),
    "amount-a-string": _event(data__object__amount="64.90"),
    "amount-a-boolean": _event(data__object__amount=True),
    "amount-negative": _event(data__object__amount=-1),
    "amount-too-large-for-the-column": _event(data__object__amount=10**15),
    "currency-a-number": _event(data__object__currency=978),
    "currency-too-long": _event(data__object__currency="euros"),
    "metadata-a-list": _event(data__object__metadata=["order_number", "100051"]),
    "order-number-an-object": _event(data__object__metadata={"order_number": {"n": 1}}),
    "nul-in-a-text": _event(data__object__description="saf\u0000ran"),
    "failed-error-a-string": _event(
        "payment_intent.payment_failed", data__object__last_payment_error="declined"
    ),
    "refund-without-amount-refunded": _event(
        "charge.refunded",
        data__object={"id": "ch_1", "payment_intent": "pi_1", "amount": 1, "currency": "eur"},
    ),
    "dispute-intent-a-number": _event(
        "charge.dispute.created",
        data__object={"id": "dp_1", "payment_intent": 42, "amount": 1, "currency": "eur"},
    ),
}


@pytest.mark.parametrize("payload", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_signed_but_malformed_event_is_a_400_and_records_nothing(client, settings, payload):
    # given Stripe's secret, and a body signed with it
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    header = signature_header(payload=payload, secret=WEBHOOK_SECRET)
    client.raise_request_exception = False

    # when it is delivered
    response = client.post(URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)

    # then it is refused as a bad request, and nothing is recorded
    assert response.status_code == 400
    assert response.json()["error"]
    assert not StripeEvent.objects.exists()
    assert not StripePaymentIntent.objects.exists()


def test_a_well_formed_event_of_the_same_shape_is_accepted(client, settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload = _event()
    header = signature_header(payload=payload, secret=WEBHOOK_SECRET)

    response = client.post(URL, data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)

    assert response.status_code == 200
    assert StripeEvent.objects.get().id == "evt_malformed"
    assert StripePaymentIntent.objects.get().status == "succeeded"
