"""Card refunds for the part of an order a producer could not deliver (cancel, reject, shortfall)."""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from oscar.core.loading import get_model

from core.payments import PaymentMethod
from shop.payment.exceptions import PaymentGatewayError
from shop.payment.models import StripePaymentIntent, StripeRefund
from shop.payment.services import stripe_refund_create

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")
Source = get_model("payment", "Source")


def fulfilment_refund_send(
    *, order_id: int, fulfilment_id: int, amount: Decimal, key: str, quantities: dict[int, int]
) -> StripeRefund | None:
    """Refunds `amount` of the order's card payment, once per key; None for an order not paid by card.

    Cash-on-delivery orders send nothing to Stripe: the fulfilment's `refund_due` is the record.
    """
    source = (
        Source.objects.filter(order_id=order_id, source_type__code=PaymentMethod.CARD.value)
        .select_related("order")
        .first()
    )
    if source is None:
        return None
    with transaction.atomic():
        refund, created = StripeRefund.objects.select_for_update().get_or_create(
            idempotency_key=key,
            defaults={
                "intent_id": source.reference,
                "order_number": source.order.number,
                "amount": amount,
                "currency": source.currency,
            },
        )
        if refund.refund_id:
            return refund  # already sent and recorded
        intent = StripePaymentIntent.objects.select_for_update().get(intent_id=source.reference)
        state = stripe_refund_create(
            intent=intent,
            amount=amount,
            idempotency_key=key,
            metadata={"fulfilment": str(fulfilment_id)},
        )
        refund.refund_id, refund.status = state.id, state.status
        refund.save(update_fields=["refund_id", "status"])
        # charge.refunded may arrive before or after; both only ever raise amount_refunded.
        StripePaymentIntent.objects.filter(pk=intent.pk).update(amount_refunded=F("amount_refunded") + amount)
        Source.objects.filter(pk=source.pk).update(amount_refunded=F("amount_refunded") + amount)
        event_type, __ = PaymentEventType.objects.get_or_create(code="refund", defaults={"name": "Refund"})
        event = PaymentEvent.objects.create(
            order_id=order_id, event_type=event_type, amount=amount, reference=state.id
        )
        PaymentEventQuantity.objects.bulk_create(
            PaymentEventQuantity(event=event, line_id=line_id, quantity=qty)
            for line_id, qty in quantities.items()
        )
    return refund


def fulfilment_refund_due_receiver(sender, *, order_id, fulfilment_id, amount, key, quantities, **kwargs):
    try:
        fulfilment_refund_send(
            order_id=order_id, fulfilment_id=fulfilment_id, amount=amount, key=key, quantities=quantities
        )
    except (PaymentGatewayError, ValueError):
        # The fulfilment still shows the refund due; staff retry it (same key, so never twice).
        logger.exception("Card refund %s for order %s failed", key, order_id)
