"""Calls to the Stripe API (PaymentIntents, Refunds) through the official SDK.

Every function returns a small value object or raises one of `shop.payment.exceptions`, so callers
never handle Stripe's exception classes or raw objects.
"""

import functools
from dataclasses import dataclass, field
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.translation import gettext as _

from shop.payment.exceptions import (
    AuthenticationRequired,
    CardDeclined,
    CardPaymentsDisabled,
    PaymentGatewayError,
)
from shop.payment.money import amount_from_minor_units, amount_to_minor_units

# Network retries reuse the idempotency key, so a retried create never makes a second intent.
MAX_NETWORK_RETRIES = 2


@dataclass(frozen=True)
class IntentState:
    id: str
    status: str
    amount: Decimal
    currency: str
    client_secret: str
    latest_charge: str
    metadata: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RefundState:
    id: str
    status: str
    amount: Decimal
    currency: str
    payment_intent: str
    charge: str


def stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise CardPaymentsDisabled(_("Card payments are not configured (STRIPE_SECRET_KEY is empty)."))
    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=MAX_NETWORK_RETRIES
    )


def _stripe_errors_as_domain_errors(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except stripe.CardError as exc:
            error = exc.error
            intent = error.payment_intent.to_dict() if error and error.payment_intent else {}
            if exc.code == "authentication_required":
                raise AuthenticationRequired(
                    _("Your bank asks you to confirm this payment."),
                    intent_id=intent.get("id", ""),
                    client_secret=intent.get("client_secret", ""),
                    next_action=intent.get("next_action"),
                ) from exc
            raise CardDeclined(
                exc.user_message or _("Your card was declined."),
                code=exc.code or "",
                decline_code=(error and error.decline_code) or "",
                intent_id=intent.get("id", ""),
            ) from exc
        except stripe.StripeError as exc:
            raise PaymentGatewayError(
                _("The card payment service failed: %(message)s") % {"message": exc.user_message or str(exc)},
                code=exc.code or "",
            ) from exc

    return wrapper


def _intent_state(intent: stripe.PaymentIntent) -> IntentState:
    data = intent.to_dict()
    return IntentState(
        id=data["id"],
        status=data["status"],
        amount=amount_from_minor_units(minor_units=data["amount"], currency=data["currency"]),
        currency=data["currency"].upper(),
        client_secret=data.get("client_secret") or "",
        latest_charge=data.get("latest_charge") or "",
        metadata=dict(data.get("metadata") or {}),
    )


def _confirmed_state(intent: stripe.PaymentIntent) -> IntentState:
    """After a confirmation, `requires_action` means the customer's browser must finish 3-D Secure."""
    state = _intent_state(intent)
    if state.status == "requires_action":
        raise AuthenticationRequired(
            _("Your bank asks you to confirm this payment."),
            intent_id=state.id,
            client_secret=state.client_secret,
            next_action=intent.to_dict().get("next_action"),
        )
    return state


@_stripe_errors_as_domain_errors
def payment_intent_create(
    *,
    amount: Decimal,
    currency: str,
    order_number: str,
    idempotency_key: str,
    payment_method: str | None = None,
    confirm: bool = False,
    metadata: dict | None = None,
) -> IntentState:
    """Creates (with `confirm`, also confirms) an intent; raises AuthenticationRequired for 3DS."""
    params = {
        "amount": amount_to_minor_units(amount=amount, currency=currency),
        "currency": currency.lower(),
        "metadata": {**(metadata or {}), "order_number": order_number},
        "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
    }
    if payment_method:
        params["payment_method"] = payment_method
    if confirm:
        params["confirm"] = True
    intent = stripe_client().v1.payment_intents.create(params, {"idempotency_key": idempotency_key})
    return _confirmed_state(intent) if confirm else _intent_state(intent)


@_stripe_errors_as_domain_errors
def payment_intent_retrieve(*, intent_id: str) -> IntentState:
    return _intent_state(stripe_client().v1.payment_intents.retrieve(intent_id))


@_stripe_errors_as_domain_errors
def payment_intent_confirm(
    *, intent_id: str, payment_method: str | None = None, idempotency_key: str | None = None
) -> IntentState:
    params = {"payment_method": payment_method} if payment_method else {}
    options = {"idempotency_key": idempotency_key} if idempotency_key else {}
    return _confirmed_state(stripe_client().v1.payment_intents.confirm(intent_id, params, options))


@_stripe_errors_as_domain_errors
def payment_intent_cancel(*, intent_id: str, idempotency_key: str | None = None) -> IntentState:
    options = {"idempotency_key": idempotency_key} if idempotency_key else {}
    return _intent_state(stripe_client().v1.payment_intents.cancel(intent_id, {}, options))


@_stripe_errors_as_domain_errors
def refund_create(
    *,
    intent_id: str,
    amount: Decimal,
    currency: str,
    idempotency_key: str,
    metadata: dict | None = None,
) -> RefundState:
    """Refunds `amount` (part or all) of a succeeded intent; the key makes a retried refund a no-op."""
    refund = stripe_client().v1.refunds.create(
        {
            "payment_intent": intent_id,
            "amount": amount_to_minor_units(amount=amount, currency=currency),
            "metadata": metadata or {},
        },
        {"idempotency_key": idempotency_key},
    )
    data = refund.to_dict()
    return RefundState(
        id=data["id"],
        status=data["status"],
        amount=amount_from_minor_units(minor_units=data["amount"], currency=data["currency"]),
        currency=data["currency"].upper(),
        payment_intent=data.get("payment_intent") or "",
        charge=data.get("charge") or "",
    )
