from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored once by its id so a redelivery changes nothing."""

    id = models.CharField(_("Event id"), max_length=255, primary_key=True)
    type = models.CharField(_("Type"), max_length=128, db_index=True)
    payload = models.JSONField(_("Payload"))
    received_at = models.DateTimeField(_("Received at"), auto_now_add=True)
    processed_at = models.DateTimeField(_("Processed at"), null=True, blank=True)

    class Meta:
        app_label = "payment"
        ordering = ("-received_at",)
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")

    def __str__(self):
        return f"{self.type} {self.id}"


class StripePaymentIntent(models.Model):
    """Our copy of a Stripe PaymentIntent: what was asked, and what Stripe last told us."""

    class Status(models.TextChoices):
        REQUIRES_PAYMENT_METHOD = "requires_payment_method", _("Requires a payment method")
        REQUIRES_CONFIRMATION = "requires_confirmation", _("Requires confirmation")
        REQUIRES_ACTION = "requires_action", _("Requires customer authentication")
        PROCESSING = "processing", _("Processing")
        REQUIRES_CAPTURE = "requires_capture", _("Requires capture")
        SUCCEEDED = "succeeded", _("Succeeded")
        CANCELED = "canceled", _("Canceled")

    intent_id = models.CharField(_("PaymentIntent id"), max_length=255, unique=True)
    order_number = models.CharField(_("Order number"), max_length=128, db_index=True)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3)
    status = models.CharField(_("Status"), max_length=32, choices=Status.choices)
    amount_refunded = models.DecimalField(
        _("Amount refunded"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    latest_charge = models.CharField(_("Latest charge"), max_length=255, blank=True)
    last_error_code = models.CharField(_("Last error code"), max_length=128, blank=True)
    last_error_message = models.TextField(_("Last error message"), blank=True)
    is_disputed = models.BooleanField(_("Disputed"), default=False)
    dispute_id = models.CharField(_("Dispute id"), max_length=255, blank=True)
    dispute_reason = models.CharField(_("Dispute reason"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        app_label = "payment"
        ordering = ("-created_at",)
        verbose_name = _("Stripe payment intent")
        verbose_name_plural = _("Stripe payment intents")

    def __str__(self):
        return f"{self.intent_id} ({self.order_number}, {self.amount} {self.currency}, {self.status})"


class CardCheckout(models.Model):
    """What a card payment pays for: the frozen basket and the checkout choices, kept until the order exists.

    The order is placed from this record when the payment succeeds, by the customer's browser or by
    Stripe's webhook, whichever comes first (the customer may have closed the page).
    """

    intent_id = models.CharField(_("PaymentIntent id"), max_length=255, unique=True)
    order_number = models.CharField(_("Order number"), max_length=128, db_index=True)
    basket_id = models.PositiveIntegerField(_("Basket"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    guest_email = models.EmailField(_("Guest e-mail"), blank=True)
    shipping_address = models.JSONField(_("Shipping address"))
    shipping_method_code = models.CharField(_("Shipping method"), max_length=128)
    currency = models.CharField(_("Currency"), max_length=3)
    rate = models.DecimalField(_("Rate (1 MAD in the currency)"), max_digits=14, decimal_places=8, null=True)
    rate_id = models.PositiveIntegerField(_("Exchange rate row"), null=True)
    total = models.DecimalField(_("Total"), max_digits=12, decimal_places=2)
    # The storefront language at submission: a webhook may place the order, outside the customer's request.
    language = models.CharField(_("Language"), max_length=10, blank=True)
    order_id = models.PositiveIntegerField(_("Order"), null=True, blank=True)
    refunded_unplaced = models.BooleanField(_("Refunded without an order"), default=False)
    # Left unpaid too long: its PaymentIntent was cancelled and the basket given back (beat job).
    expired_at = models.DateTimeField(_("Expired at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        app_label = "payment"
        ordering = ("-created_at",)
        verbose_name = _("Card checkout")
        verbose_name_plural = _("Card checkouts")

    def __str__(self):
        return f"{self.order_number} ({self.intent_id})"


class StripeRefund(models.Model):
    """A refund sent to Stripe for one fulfilment event; the key makes a second sending impossible."""

    idempotency_key = models.CharField(_("Idempotency key"), max_length=255, unique=True)
    refund_id = models.CharField(_("Refund id"), max_length=255, blank=True)
    intent_id = models.CharField(_("PaymentIntent id"), max_length=255)
    order_number = models.CharField(_("Order number"), max_length=128, db_index=True)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Currency"), max_length=3)
    status = models.CharField(_("Status"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        app_label = "payment"
        ordering = ("-created_at",)
        verbose_name = _("Stripe refund")
        verbose_name_plural = _("Stripe refunds")

    def __str__(self):
        return f"{self.refund_id or self.idempotency_key}: {self.amount} {self.currency}"


from oscar.apps.payment.models import *  # noqa: E402,F401,F403  (Oscar's Source, Transaction, …)
