"""Card checkout: a PaymentIntent for the submitted basket, and the order placed once it is paid.

The order is placed by whichever comes first — the customer's browser back from the payment, or
Stripe's `payment_intent.succeeded` webhook (the customer may have closed the page) — and only once:
both go through `card_checkout_order_place`, which locks the CardCheckout row.
"""

import datetime
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model

from core.payments import PaymentMethod
from shop.currency.pricing import MAD, CurrencyQuote
from shop.currency.services import rate_used
from shop.order.utils import OrderAlreadyPlaced, OrderCreator, order_language
from shop.payment.exceptions import PaymentGatewayError
from shop.payment.models import CardCheckout, StripePaymentIntent
from shop.payment.services import (
    stripe_payment_intent_cancel,
    stripe_payment_intent_create,
    stripe_payment_intent_sync,
    stripe_refund_create,
)
from shop.payment.sources import payment_source_build

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

ADDRESS_SKIPPED = {"id", "search_text"}


def address_fields(address) -> dict:
    """An unsaved Oscar address as JSON (phone numbers become strings)."""
    fields = {}
    for field in ShippingAddress._meta.concrete_fields:
        if field.attname in ADDRESS_SKIPPED:
            continue
        value = getattr(address, field.attname)
        fields[field.attname] = value if value is None or isinstance(value, str | int) else str(value)
    return fields


def card_checkout_start(
    *, order_number: str, basket, user, guest_email: str, shipping_address, shipping_method, order_total
) -> tuple[CardCheckout, StripePaymentIntent]:
    """Asks Stripe for an intent for the order total and keeps what the order will be placed from."""
    quote = rate_used(strategy=basket.strategy)
    intent = stripe_payment_intent_create(
        order_number=order_number, amount=order_total.incl_tax, currency=order_total.currency
    )
    checkout, __ = CardCheckout.objects.update_or_create(
        intent_id=intent.intent_id,
        defaults={
            "order_number": order_number,
            "basket_id": basket.pk,
            "user": user if user is not None and user.is_authenticated else None,
            "guest_email": guest_email or "",
            "shipping_address": address_fields(shipping_address),
            "shipping_method_code": shipping_method.code,
            "currency": order_total.currency,
            "rate": quote.rate,
            "rate_id": quote.rate_id,
            "total": order_total.incl_tax,
            "language": order_language(translation.get_language()),
        },
    )
    return checkout, intent


def _strategy_for(checkout: CardCheckout):
    quote = (
        MAD
        if checkout.rate is None
        else CurrencyQuote(code=checkout.currency, rate_id=checkout.rate_id, rate=checkout.rate)
    )
    return Selector().strategy(currency=quote)


class PaidButNotPlaceable(Exception):
    """The payment succeeded but its order cannot be placed (stock gone, basket changed): refunded."""


def card_checkout_order_place(*, checkout: CardCheckout):
    """Places the order of a paid card checkout, once; returns it (None while the intent is not paid)."""
    try:
        with transaction.atomic():
            return _order_place_locked(checkout_id=checkout.pk)
    except (UnableToPlaceOrder, PaidButNotPlaceable) as exc:
        if isinstance(exc, OrderAlreadyPlaced):
            # Another payment already placed this basket's order: this second one is given back.
            reason = _("The order was already paid with another payment.")
        else:
            reason = str(exc)
        _refund_unplaceable(checkout=checkout, reason=reason)
        raise PaidButNotPlaceable(reason) from exc


def _order_place_locked(*, checkout_id: int):
    checkout = CardCheckout.objects.select_for_update().get(pk=checkout_id)
    if checkout.order_id:
        return Order.objects.get(pk=checkout.order_id)
    intent = StripePaymentIntent.objects.get(intent_id=checkout.intent_id)
    if intent.status != StripePaymentIntent.Status.SUCCEEDED or checkout.refunded_unplaced:
        return None
    basket = Basket.objects.get(pk=checkout.basket_id)
    basket.strategy = _strategy_for(checkout)
    address = ShippingAddress(**checkout.shipping_address)
    method = next(
        (
            m
            for m in Repository().get_shipping_methods(basket, shipping_addr=address)
            if m.code == checkout.shipping_method_code
        ),
        None,
    )
    if method is None:
        raise PaidButNotPlaceable(_("The delivery method is no longer available."))
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    if (total.incl_tax, total.currency) != (intent.amount, intent.currency):
        raise PaidButNotPlaceable(
            _("The basket changed during payment (%(basket)s, paid %(paid)s).")
            % {"basket": total.incl_tax, "paid": intent.amount}
        )
    address.save()
    order = OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=checkout.user,
        shipping_address=address,
        order_number=checkout.order_number,
        guest_email=checkout.guest_email or None,
        language=checkout.language or None,
    )
    source = payment_source_build(
        method=PaymentMethod.CARD,
        currency=intent.currency,
        amount=intent.amount,
        debited=intent.amount,
        reference=intent.intent_id,
    )
    source.order = order
    source.save()
    event_type, __ = PaymentEventType.objects.get_or_create(code="paid", defaults={"name": "Paid"})
    PaymentEvent.objects.create(
        order=order, event_type=event_type, amount=intent.amount, reference=intent.intent_id
    )
    basket.submit()
    checkout.order_id = order.pk
    checkout.save(update_fields=["order_id"])
    return order


def _refund_unplaceable(*, checkout: CardCheckout, reason: str) -> None:
    """Money is never kept without an order: the whole payment goes back."""
    intent = StripePaymentIntent.objects.get(intent_id=checkout.intent_id)
    left = intent.amount - intent.amount_refunded
    if left > Decimal("0.00"):
        stripe_refund_create(
            intent=intent,
            amount=left,
            idempotency_key=f"unplaced-{intent.intent_id}",
            metadata={"reason": reason[:400]},
        )
    CardCheckout.objects.filter(pk=checkout.pk).update(refunded_unplaced=True)
    logger.error("Card payment %s refunded without an order: %s", intent.intent_id, reason)


def card_checkout_for_intent(*, intent_id: str) -> CardCheckout | None:
    return CardCheckout.objects.filter(intent_id=intent_id).first()


def payment_intent_succeeded_receiver(sender, intent, **kwargs):
    """Webhook or browser: the first one to learn of the payment places the order."""
    checkout = card_checkout_for_intent(intent_id=intent.intent_id)
    if checkout is None:
        logger.warning("Paid intent %s has no card checkout", intent.intent_id)
        return
    try:
        card_checkout_order_place(checkout=checkout)
    except PaidButNotPlaceable:
        pass  # refunded and logged
    except Exception:
        # The event is recorded either way; a paid intent without an order must reach staff, loudly.
        logger.critical("Paid intent %s: placing its order failed", intent.intent_id, exc_info=True)


# Paid, being paid, or already cancelled: an expiry leaves these alone.
NOT_CANCELLABLE = {
    StripePaymentIntent.Status.SUCCEEDED,
    StripePaymentIntent.Status.PROCESSING,
    StripePaymentIntent.Status.CANCELED,
}


def card_checkouts_expire(*, older_than_minutes: int, limit: int = 200) -> int:
    """Card checkouts left unpaid for `older_than_minutes`: the PaymentIntent is cancelled at Stripe
    (it can no longer be paid) and the basket thawed for the customer. Stripe is asked first: one
    that was paid after all (its webhook lost) gets its order placed instead. Returns how many expired."""
    before = timezone.now() - datetime.timedelta(minutes=older_than_minutes)
    stale = CardCheckout.objects.filter(
        order_id__isnull=True, refunded_unplaced=False, expired_at__isnull=True, created_at__lt=before
    ).order_by("pk")[:limit]
    expired = 0
    for checkout in stale:
        intent = StripePaymentIntent.objects.get(intent_id=checkout.intent_id)
        try:
            stripe_payment_intent_sync(intent=intent)  # a success places the order (signal, on commit)
            if intent.status not in NOT_CANCELLABLE:
                stripe_payment_intent_cancel(intent=intent)
        except PaymentGatewayError:
            # Paid at the last second (Stripe refuses to cancel) or Stripe unreachable: next run decides.
            logger.warning("Card checkout %s: could not expire it now", checkout.pk, exc_info=True)
            continue
        if intent.status != StripePaymentIntent.Status.CANCELED:
            continue
        with transaction.atomic():
            locked = CardCheckout.objects.select_for_update().get(pk=checkout.pk)
            if locked.order_id is not None:
                continue
            locked.expired_at = timezone.now()
            locked.save(update_fields=["expired_at"])
            basket = Basket.objects.filter(pk=locked.basket_id, status=Basket.FROZEN).first()
            if basket is not None:
                basket.thaw()
        expired += 1
    return expired
