from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProducerFulfilment(models.Model):
    """One producer's part of an order: its lines, its parcel, its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        PACKED = "packed", _("Packed")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(
        "order.Order", on_delete=models.CASCADE, related_name="fulfilments", verbose_name=_("Order")
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="fulfilments", verbose_name=_("Producer")
    )
    module = models.CharField(_("Fulfilment module"), max_length=64)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    shipping_method_code = models.CharField(_("Shipping method"), max_length=64)
    shipping_method_name = models.CharField(_("Shipping method name"), max_length=128, blank=True)
    shipping_charge = models.DecimalField(
        _("Shipping charge"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    currency = models.CharField(_("Currency"), max_length=12, default="MAD")
    carrier = models.CharField(_("Carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("Tracking number"), max_length=128, blank=True)
    pickup_code = models.CharField(_("Pickup code"), max_length=16, blank=True)
    routing_key = models.CharField(
        _("Routing"), max_length=64, blank=True, help_text=_("e.g. the GIE hub the lines go through")
    )
    refund_due = models.DecimalField(
        _("Refund due"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    # Cash on delivery: what the carrier collected, and when it reached the platform.
    cod_collected_amount = models.DecimalField(
        _("Cash collected"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    cod_collected_at = models.DateTimeField(_("Cash collected at"), null=True, blank=True)
    cod_remitted_at = models.DateTimeField(_("Cash remitted at"), null=True, blank=True)
    cod_remittance_reference = models.CharField(_("Remittance reference"), max_length=128, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("order_id", "pk")
        verbose_name = _("Producer fulfilment")
        constraints = [
            models.UniqueConstraint(fields=("order", "partner"), name="fulfilment_one_per_order_and_producer")
        ]

    def __str__(self):
        return f"{self.order.number} / {self.partner}"


class FulfilmentLine(models.Model):
    """An order line as one producer works it: ordered, shipped and cancelled units."""

    fulfilment = models.ForeignKey(ProducerFulfilment, on_delete=models.CASCADE, related_name="lines")
    line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="fulfilment_line")
    quantity = models.PositiveIntegerField(_("Quantity"), validators=[MinValueValidator(1)])
    quantity_shipped = models.PositiveIntegerField(_("Quantity shipped"), default=0)
    quantity_cancelled = models.PositiveIntegerField(_("Quantity cancelled"), default=0)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("Fulfilment line")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    quantity__gte=models.F("quantity_shipped") + models.F("quantity_cancelled")
                ),
                name="fulfilment_line_shipped_and_cancelled_within_quantity",
            )
        ]

    def __str__(self):
        return f"{self.quantity} × {self.line.title}"

    @property
    def quantity_open(self) -> int:
        return self.quantity - self.quantity_shipped - self.quantity_cancelled


class FulfilmentEvent(models.Model):
    """History of a fulfilment: who did what, when."""

    fulfilment = models.ForeignKey(ProducerFulfilment, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_from = models.CharField(max_length=16, blank=True)
    status_to = models.CharField(max_length=16)
    note = models.TextField(blank=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("date_created", "pk")
        verbose_name = _("Fulfilment event")

    def __str__(self):
        return f"{self.status_from or '∅'} → {self.status_to}"


class SelfShipRate(models.Model):
    """A producer's own charge for one weight band in one zone (self_ship module)."""

    class Zone(models.TextChoices):
        MOROCCO = "MA", _("Morocco")
        EUROPE = "EU", _("Europe")

    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="self_ship_rates")
    zone = models.CharField(_("Zone"), max_length=2, choices=Zone.choices)
    max_weight_kg = models.DecimalField(_("Up to (kg)"), max_digits=7, decimal_places=3)
    charge = models.DecimalField(_("Charge"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ("partner_id", "zone", "max_weight_kg")
        verbose_name = _("Self-ship rate")
        constraints = [
            models.UniqueConstraint(
                fields=("partner", "zone", "max_weight_kg"), name="self_ship_rate_band_once"
            )
        ]

    def __str__(self):
        return f"{self.zone} ≤ {self.max_weight_kg} kg: {self.charge}"


class SettlementStatement(models.Model):
    """What the platform owes one producer for one period, in MAD, from its delivered fulfilments."""

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="settlements", verbose_name=_("Producer")
    )
    period_start = models.DateField(_("From"))
    period_end = models.DateField(_("To (inclusive)"))
    currency = models.CharField(_("Currency"), max_length=12, default="MAD")
    gross = models.DecimalField(_("Delivered lines gross"), max_digits=14, decimal_places=2)
    refunds = models.DecimalField(_("Refunds"), max_digits=14, decimal_places=2)
    commission = models.DecimalField(_("Commission"), max_digits=14, decimal_places=2)
    payment_fees = models.DecimalField(_("Payment fees"), max_digits=14, decimal_places=2)
    shipping = models.DecimalField(_("Shipping collected"), max_digits=14, decimal_places=2)
    net_payable = models.DecimalField(_("Net payable"), max_digits=14, decimal_places=2)
    fulfilments_count = models.PositiveIntegerField(_("Fulfilments"), default=0)
    date_created = models.DateTimeField(auto_now_add=True)
    date_paid = models.DateTimeField(_("Paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("Payment reference"), max_length=128, blank=True)

    class Meta:
        ordering = ("-period_start", "partner_id")
        verbose_name = _("Settlement statement")
        constraints = [
            models.UniqueConstraint(
                fields=("partner", "period_start", "period_end"), name="settlement_once_per_producer_period"
            )
        ]

    def __str__(self):
        return f"{self.partner} {self.period_start}–{self.period_end}: {self.net_payable} {self.currency}"


class SettlementLine(models.Model):
    """One delivered fulfilment's share of a statement, converted to MAD at the order's rate.

    A fulfilment shipped by someone else than its producer (a GIE hub parcel) has two lines: its goods
    on the producer's statement, its shipping on the shipper's.
    """

    class Kind(models.TextChoices):
        FULFILMENT = "fulfilment", _("Delivered lines")
        SHIPPING = "shipping", _("Shipping of a hub parcel")

    statement = models.ForeignKey(SettlementStatement, on_delete=models.CASCADE, related_name="lines")
    fulfilment = models.ForeignKey(ProducerFulfilment, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.FULFILMENT)
    order_number = models.CharField(max_length=128)
    order_currency = models.CharField(max_length=12)
    rate_to_mad = models.DecimalField(max_digits=12, decimal_places=6)
    gross = models.DecimalField(max_digits=14, decimal_places=2)
    refunds = models.DecimalField(max_digits=14, decimal_places=2)
    commission = models.DecimalField(max_digits=14, decimal_places=2)
    payment_fees = models.DecimalField(max_digits=14, decimal_places=2)
    shipping = models.DecimalField(max_digits=14, decimal_places=2)
    net_payable = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ("pk",)
        verbose_name = _("Settlement line")
        constraints = [
            models.UniqueConstraint(
                fields=("fulfilment", "kind"), name="settlement_line_fulfilment_settled_once"
            )
        ]

    def __str__(self):
        return f"{self.order_number}: {self.net_payable}"
