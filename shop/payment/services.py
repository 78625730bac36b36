"""Card payments: our records of Stripe PaymentIntents, and the Stripe webhook events that move them."""

import json
import logging
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import DataError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.payment import stripe_gateway
from shop.payment.exceptions import AuthenticationRequired, CardDeclined
from shop.payment.models import StripeEvent, StripePaymentIntent
from shop.payment.money import amount_from_minor_units, amount_to_minor_units
from shop.payment.signals import payment_intent_succeeded

logger = logging.getLogger(__name__)

# Stripe's own default: a signature older than five minutes is a replay, not a delivery.
WEBHOOK_TOLERANCE_SECONDS = 300
Status = StripePaymentIntent.Status


class WebhookRejected(Exception):
    """The request is not a genuine, fresh Stripe event; answer 400 and record nothing."""


# --- PaymentIntents ----------------------------------------------------------------------------


def stripe_payment_intent_create(*, order_number: str, amount: Decimal, currency: str) -> StripePaymentIntent:
    """Creates the intent the payment page confirms with Stripe.js; the same order and total reuse it."""
    minor_units = amount_to_minor_units(amount=amount, currency=currency)
    # After an expired (cancelled) attempt the same basket needs a new intent, hence a new key.
    attempt = StripePaymentIntent.objects.filter(order_number=order_number, status=Status.CANCELED).count()
    state = stripe_gateway.payment_intent_create(
        amount=amount,
        currency=currency,
        order_number=order_number,
        idempotency_key=f"order-{order_number}-{currency.lower()}-{minor_units}"
        + (f"-{attempt}" if attempt else ""),
    )
    record, _created = StripePaymentIntent.objects.update_or_create(
        intent_id=state.id,
        defaults={
            "order_number": order_number,
            "amount": state.amount,
            "currency": state.currency,
            "status": state.status,
        },
    )
    return record


def stripe_payment_intent_confirm(
    *, intent: StripePaymentIntent, payment_method: str, idempotency_key: str | None = None
) -> StripePaymentIntent:
    """Server-side confirmation; keeps our record in step with Stripe's answer, then re-raises its errors."""
    try:
        state = stripe_gateway.payment_intent_confirm(
            intent_id=intent.intent_id, payment_method=payment_method, idempotency_key=idempotency_key
        )
    except CardDeclined as exc:
        _intent_record_error(intent=intent, code=exc.decline_code or exc.code, message=str(exc))
        raise
    except AuthenticationRequired:
        _intent_record_status(intent=intent, status=Status.REQUIRES_ACTION)
        raise
    _intent_record_status(intent=intent, status=state.status, latest_charge=state.latest_charge)
    return intent


def stripe_payment_intent_sync(*, intent: StripePaymentIntent) -> StripePaymentIntent:
    """Asks Stripe for the intent's current state (the customer came back from the payment page)."""
    state = stripe_gateway.payment_intent_retrieve(intent_id=intent.intent_id)
    _intent_record_status(intent=intent, status=state.status, latest_charge=state.latest_charge)
    return intent


def stripe_payment_intent_cancel(*, intent: StripePaymentIntent) -> StripePaymentIntent:
    """Cancels an unpaid intent at Stripe so it can no longer be paid; our record follows."""
    state = stripe_gateway.payment_intent_cancel(
        intent_id=intent.intent_id, idempotency_key=f"cancel-{intent.intent_id}"
    )
    _intent_record_status(intent=intent, status=state.status)
    return intent


def _intent_record_error(*, intent: StripePaymentIntent, code: str, message: str) -> None:
    with transaction.atomic():
        locked = StripePaymentIntent.objects.select_for_update().get(pk=intent.pk)
        if locked.status != Status.SUCCEEDED:
            locked.status = Status.REQUIRES_PAYMENT_METHOD
            locked.last_error_code, locked.last_error_message = code, message
            locked.save(update_fields=["status", "last_error_code", "last_error_message", "updated_at"])
    intent.refresh_from_db()


@transaction.atomic
def _intent_record_status(*, intent: StripePaymentIntent, status: str, latest_charge: str = "") -> None:
    """A succeeded intent never moves back: a late or reordered answer cannot undo a payment."""
    locked = StripePaymentIntent.objects.select_for_update().get(pk=intent.pk)
    was_succeeded = locked.status == Status.SUCCEEDED
    if not was_succeeded:
        locked.status = status
        locked.latest_charge = latest_charge or locked.latest_charge
        locked.save(update_fields=["status", "latest_charge", "updated_at"])
        if status == Status.SUCCEEDED:
            transaction.on_commit(
                lambda: payment_intent_succeeded.send(sender=StripePaymentIntent, intent=locked)
            )
    intent.refresh_from_db()


def stripe_refund_create(
    *, intent: StripePaymentIntent, amount: Decimal, idempotency_key: str, metadata: dict | None = None
) -> stripe_gateway.RefundState:
    """Refunds part of a paid intent; the caller's key (e.g. per fulfilment) makes a retry a no-op."""
    if intent.status != Status.SUCCEEDED:
        raise ValueError(
            _("Only a succeeded payment can be refunded (payment %(id)s is %(status)s).")
            % {"id": intent.intent_id, "status": intent.status}
        )
    if amount <= 0 or amount > intent.amount - intent.amount_refunded:
        raise ValueError(_("A refund must be more than zero and at most what is left to refund."))
    return stripe_gateway.refund_create(
        intent_id=intent.intent_id,
        amount=amount,
        currency=intent.currency,
        idempotency_key=idempotency_key,
        metadata={**(metadata or {}), "order_number": intent.order_number},
    )


# --- Webhook events ---------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verifies and records a webhook delivery; returns (event, processed_now). A redelivery does nothing.

    A genuine signature does not make the body well formed: an event whose shape is not Stripe's is
    refused (WebhookRejected, 400) and nothing is recorded.
    """
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance=WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected(
            _("Invalid Stripe signature: %(error)s") % {"error": exc.user_message or exc}
        ) from exc
    except ValueError as exc:  # a body that is not UTF-8
        raise WebhookRejected(_("The event is not valid JSON.")) from exc
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise WebhookRejected(_("The event is not valid JSON.")) from exc
    _event_shape_check(data)
    try:
        return stripe_event_process(data=data)
    except (KeyError, TypeError, ValueError, ArithmeticError, DataError) as exc:
        # The transaction rolled back: nothing is recorded, and Stripe will retry or show the failure.
        logger.exception("Stripe event %s of type %s could not be processed", data["id"], data["type"])
        raise WebhookRejected(_("The event's object does not have the expected shape.")) from exc


# The fields each handled event's object must carry, and their types (bool is not a number here).
_OBJECT_FIELDS = {
    "payment_intent.succeeded": {"id": str, "amount": int, "currency": str},
    "payment_intent.payment_failed": {"id": str, "amount": int, "currency": str},
    "charge.refunded": {"id": str, "amount": int, "amount_refunded": int, "currency": str},
    "charge.dispute.created": {"id": str, "amount": int, "currency": str},
}
# Fields read when present; null counts as absent.
_OPTIONAL_FIELDS = {
    "payment_intent": str,
    "status": str,
    "latest_charge": str,
    "last_payment_error": dict,
    "metadata": dict,
    "reason": str,
}


def _event_shape_check(data) -> None:
    """WebhookRejected unless `data` has a Stripe event's shape, and its object the fields we read."""
    if not isinstance(data, dict) or not data.get("id") or not data.get("type"):
        raise WebhookRejected(_("The event has no id or type."))
    if (
        not (isinstance(data["id"], str) and isinstance(data["type"], str))
        or max(len(data["id"]), len(data["type"])) > 128
    ):
        raise WebhookRejected(_("The event's id or type is not a short text."))
    obj = data.get("data", {}).get("object") if isinstance(data.get("data"), dict) else None
    if not isinstance(obj, dict):
        raise WebhookRejected(_("The event has no data.object."))
    if "\x00" in _json_text(data):
        raise WebhookRejected(_("The event contains a NUL character."))
    invalid = [
        name
        for name, kind in _OBJECT_FIELDS.get(data["type"], {}).items()
        if not _is_valid(name, obj.get(name), kind)
    ] + [
        name
        for name, kind in _OPTIONAL_FIELDS.items()
        if obj.get(name) is not None and not _is_valid(name, obj[name], kind)
    ]
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    order_number = metadata.get("order_number")
    if order_number is not None and not (isinstance(order_number, str) and len(order_number) <= 128):
        invalid.append("metadata.order_number")
    if invalid:
        raise WebhookRejected(_("The event's object has no valid “%(field)s”.") % {"field": invalid[0]})


def _is_valid(name: str, value, kind) -> bool:
    if not isinstance(value, kind) or isinstance(value, bool):
        return False
    if kind is int:  # minor units that fit our amount columns (12 digits, 2 decimals)
        return 0 <= value < 10**12
    if name == "currency":
        return len(value) == 3 and value.isascii() and value.isalpha()
    return kind is not str or len(value) <= 255


def _json_text(value) -> str:
    """Every key and text of a decoded JSON document, joined: where to look for what no column takes."""
    if isinstance(value, dict):
        return "".join(str(key) + _json_text(item) for key, item in value.items())
    if isinstance(value, list):
        return "".join(_json_text(item) for item in value)
    return value if isinstance(value, str) else ""


@transaction.atomic
def stripe_event_process(*, data: dict) -> tuple[StripeEvent, bool]:
    # A concurrent duplicate waits on the primary key until this transaction ends, then sees it processed.
    event, _created = StripeEvent.objects.select_for_update().get_or_create(
        id=data["id"], defaults={"type": data["type"], "payload": data}
    )
    if event.processed_at is not None:
        return event, False
    handler = EVENT_HANDLERS.get(event.type)
    if handler is not None:
        handler(obj=data["data"]["object"])
    else:
        logger.info("Stripe event %s of type %s recorded without a handler", event.id, event.type)
    event.processed_at = timezone.now()
    event.save(update_fields=["processed_at"])
    return event, True


def _intent_from_payload(*, intent_id: str, fallback: dict) -> StripePaymentIntent:
    """Our record of the intent, locked; created from the event if it reached us before our own commit."""
    currency = fallback["currency"]
    record, _created = StripePaymentIntent.objects.select_for_update().get_or_create(
        intent_id=intent_id,
        defaults={
            "order_number": (fallback.get("metadata") or {}).get("order_number", ""),
            "amount": amount_from_minor_units(minor_units=fallback["amount"], currency=currency),
            "currency": currency.upper(),
            "status": fallback.get("status")
            if fallback.get("object") == "payment_intent"
            else Status.SUCCEEDED,
        },
    )
    return record


def payment_intent_succeeded_handle(*, obj: dict) -> None:
    record = _intent_from_payload(intent_id=obj["id"], fallback={**obj, "status": Status.PROCESSING})
    if record.status == Status.SUCCEEDED:
        return
    record.status = Status.SUCCEEDED
    record.latest_charge = obj.get("latest_charge") or record.latest_charge
    record.save(update_fields=["status", "latest_charge", "updated_at"])
    transaction.on_commit(lambda: payment_intent_succeeded.send(sender=StripePaymentIntent, intent=record))


def payment_intent_payment_failed_handle(*, obj: dict) -> None:
    record = _intent_from_payload(intent_id=obj["id"], fallback=obj)
    if record.status == Status.SUCCEEDED:  # delivered out of order after the success: the money is in
        return
    error = obj.get("last_payment_error") or {}
    record.status = obj.get("status") or Status.REQUIRES_PAYMENT_METHOD
    record.last_error_code = error.get("decline_code") or error.get("code") or ""
    record.last_error_message = error.get("message") or ""
    record.save(update_fields=["status", "last_error_code", "last_error_message", "updated_at"])


def charge_refunded_handle(*, obj: dict) -> None:
    if not obj.get("payment_intent"):
        return
    record = _intent_from_payload(intent_id=obj["payment_intent"], fallback=obj)
    # amount_refunded is cumulative on the charge, so the largest value seen is the truth in any order.
    refunded = amount_from_minor_units(minor_units=obj["amount_refunded"], currency=obj["currency"])
    if refunded > record.amount_refunded:
        record.amount_refunded = refunded
        record.save(update_fields=["amount_refunded", "updated_at"])


def charge_dispute_created_handle(*, obj: dict) -> None:
    if not obj.get("payment_intent"):
        return
    record = _intent_from_payload(intent_id=obj["payment_intent"], fallback=obj)
    record.is_disputed = True
    record.dispute_id = obj["id"]
    record.dispute_reason = obj.get("reason") or ""
    record.save(update_fields=["is_disputed", "dispute_id", "dispute_reason", "updated_at"])
    logger.warning("Stripe dispute %s on %s (order %s)", obj["id"], record.intent_id, record.order_number)


EVENT_HANDLERS = {
    "payment_intent.succeeded": payment_intent_succeeded_handle,
    "payment_intent.payment_failed": payment_intent_payment_failed_handle,
    "charge.refunded": charge_refunded_handle,
    "charge.dispute.created": charge_dispute_created_handle,
}
