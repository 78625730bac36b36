"""The gateway against the local Stripe double: real SDK, real HTTP, Stripe's shapes and errors."""

from decimal import Decimal

import pytest

from shop.payment import stripe_gateway
from shop.payment.conf import card_payments_enabled
from shop.payment.exceptions import (
    AuthenticationRequired,
    CardDeclined,
    CardPaymentsDisabled,
    PaymentGatewayError,
)


def _create(**overrides):
    params = {
        "amount": Decimal("42.50"),
        "currency": "EUR",
        "order_number": "100042",
        "idempotency_key": "order-100042-eur-4250",
    }
    return stripe_gateway.payment_intent_create(**{**params, **overrides})


def test_an_intent_is_created_in_minor_units_with_the_order_number(stripe_double):
    # when
    intent = _create()

    # then
    assert intent.status == "requires_payment_method"
    assert intent.amount == Decimal("42.50") and intent.currency == "EUR"
    assert intent.client_secret.startswith(intent.id + "_secret_")
    stored = stripe_double.intents[intent.id]
    assert stored["amount"] == 4250 and stored["currency"] == "eur"
    assert stored["metadata"] == {"order_number": "100042"}


def test_the_same_idempotency_key_returns_the_same_intent_and_creates_no_second_one(stripe_double):
    first = _create()
    second = _create()

    assert second.id == first.id
    assert len(stripe_double.intents) == 1


def test_reusing_an_idempotency_key_with_other_parameters_is_a_gateway_error(stripe_double):
    _create()
    with pytest.raises(PaymentGatewayError, match="same parameters"):
        _create(amount=Decimal("99.00"))
    assert len(stripe_double.intents) == 1


def test_a_visa_test_card_succeeds_and_leaves_a_charge(stripe_double):
    intent = _create()

    confirmed = stripe_gateway.payment_intent_confirm(intent_id=intent.id, payment_method="pm_card_visa")

    assert confirmed.status == "succeeded"
    assert confirmed.latest_charge.startswith("ch_")
    assert stripe_gateway.payment_intent_retrieve(intent_id=intent.id).status == "succeeded"


def test_a_declined_card_is_a_card_declined_error_with_stripes_codes(stripe_double):
    intent = _create()

    with pytest.raises(CardDeclined) as declined:
        stripe_gateway.payment_intent_confirm(intent_id=intent.id, payment_method="pm_card_chargeDeclined")

    assert declined.value.code == "card_declined"
    assert declined.value.decline_code == "generic_decline"
    assert declined.value.intent_id == intent.id
    assert "declined" in str(declined.value)
    # the customer may try another card on the same intent
    assert stripe_gateway.payment_intent_retrieve(intent_id=intent.id).status == "requires_payment_method"
    retried = stripe_gateway.payment_intent_confirm(intent_id=intent.id, payment_method="pm_card_visa")
    assert retried.status == "succeeded"


def test_insufficient_funds_carries_its_decline_code(stripe_double):
    with pytest.raises(CardDeclined) as declined:
        _create(payment_method="pm_card_chargeDeclinedInsufficientFunds", confirm=True)
    assert declined.value.decline_code == "insufficient_funds"


def test_a_card_needing_3d_secure_raises_authentication_required_with_the_client_secret(stripe_double):
    intent = _create()

    with pytest.raises(AuthenticationRequired) as sca:
        stripe_gateway.payment_intent_confirm(
            intent_id=intent.id, payment_method="pm_card_authenticationRequired"
        )

    assert sca.value.intent_id == intent.id
    assert sca.value.client_secret == intent.client_secret
    assert sca.value.next_action["type"] == "use_stripe_sdk"
    # once the customer authenticates in the browser, Stripe reports the intent as paid
    stripe_double.authenticate(intent.id)
    assert stripe_gateway.payment_intent_retrieve(intent_id=intent.id).status == "succeeded"


def test_cancel_an_unpaid_intent_and_refuse_to_cancel_a_paid_one(stripe_double):
    unpaid = _create()
    assert stripe_gateway.payment_intent_cancel(intent_id=unpaid.id).status == "canceled"

    paid = _create(
        order_number="100043", idempotency_key="order-100043", payment_method="pm_card_visa", confirm=True
    )
    with pytest.raises(PaymentGatewayError) as error:
        stripe_gateway.payment_intent_cancel(intent_id=paid.id)
    assert error.value.code == "payment_intent_unexpected_state"


def test_a_partial_refund_then_the_rest_and_no_more(stripe_double):
    paid = _create(payment_method="pm_card_visa", confirm=True)

    # when
    part = stripe_gateway.refund_create(
        intent_id=paid.id, amount=Decimal("12.50"), currency="EUR", idempotency_key="refund-f1"
    )
    replay = stripe_gateway.refund_create(
        intent_id=paid.id, amount=Decimal("12.50"), currency="EUR", idempotency_key="refund-f1"
    )

    # then
    assert part.id == replay.id and part.amount == Decimal("12.50") and part.status == "succeeded"
    assert len(stripe_double.refunds) == 1
    assert stripe_double.charges[paid.latest_charge]["amount_refunded"] == 1250
    rest = stripe_gateway.refund_create(
        intent_id=paid.id, amount=Decimal("30.00"), currency="EUR", idempotency_key="refund-f2"
    )
    assert rest.amount == Decimal("30.00")
    with pytest.raises(PaymentGatewayError) as too_much:
        stripe_gateway.refund_create(
            intent_id=paid.id, amount=Decimal("0.01"), currency="EUR", idempotency_key="refund-f3"
        )
    assert too_much.value.code == "amount_too_large"


def test_a_wrong_api_key_is_a_gateway_error(stripe_double, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_wrong"
    with pytest.raises(PaymentGatewayError):
        _create()


def test_without_keys_cards_are_disabled_and_the_gateway_says_so(stripe_keys_absent):
    assert card_payments_enabled() is False
    with pytest.raises(CardPaymentsDisabled):
        _create()


def test_cards_are_enabled_when_all_three_keys_are_set(stripe_double, settings):
    assert card_payments_enabled() is True
    settings.STRIPE_WEBHOOK_SECRET = ""
    assert card_payments_enabled() is False
