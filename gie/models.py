from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.storage import private_upload_to


class Gie(models.Model):
    """A groupement d'intérêt économique: producers that sell and ship together through a hub."""

    name = models.CharField(_("Name"), max_length=255, unique=True)
    slug = models.SlugField(_("Slug"), max_length=128, unique=True)
    partner = models.OneToOneField(
        "partner.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gie_profile",
        verbose_name=_("Producer record of the GIE itself"),
        help_text=_(
            "The hub's shipping of its members' parcels is paid on this record's statements; "
            "it also sells under the GIE's name if it lists products."
        ),
    )
    description = models.TextField(_("Description"), blank=True)
    commission_rate = models.DecimalField(
        _("Default commission rate of members"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Applies to members without a rate of their own; empty: the platform's rate."),
    )
    region = models.CharField(_("Region"), max_length=64, blank=True)
    hub_city = models.CharField(_("Hub city"), max_length=128, blank=True)
    members = models.ManyToManyField(
        "partner.Partner", related_name="gies", blank=True, verbose_name=_("Member producers")
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_gies", blank=True, verbose_name=_("Coordinators")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("GIE")
        verbose_name_plural = _("GIEs")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("gie:detail", kwargs={"slug": self.slug})


class CollectionRound(models.Model):
    """One trip of the hub to its members: the hub-routed lines it collects on a given date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    gie = models.ForeignKey(Gie, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("GIE"))
    name = models.CharField(_("Name"), max_length=128)
    collection_date = models.DateField(_("Collection date"))
    members = models.ManyToManyField("partner.Partner", related_name="+", verbose_name=_("Members"))
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_created = models.DateTimeField(auto_now_add=True)
    date_closed = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-collection_date", "-pk")
        verbose_name = _("Collection round")

    def __str__(self):
        return f"{self.name} ({self.collection_date})"


class RoundLine(models.Model):
    """A fulfilment line collected in a round; one round at most per line (the unique key says so)."""

    round = models.ForeignKey(CollectionRound, on_delete=models.CASCADE, related_name="lines")
    fulfilment_line = models.OneToOneField(
        "fulfilment.FulfilmentLine", on_delete=models.CASCADE, related_name="round_line"
    )
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("Quantity to collect"))
    quantity_received = models.PositiveIntegerField(_("Quantity received"), null=True, blank=True)
    date_received = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("partner_id", "pk")
        verbose_name = _("Round line")

    def __str__(self):
        return f"{self.quantity} × line {self.fulfilment_line_id}"


class ConsolidatedShipment(models.Model):
    """The one parcel the hub sends a customer for all member fulfilments of an order."""

    gie = models.ForeignKey(Gie, on_delete=models.CASCADE, related_name="shipments")
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="gie_shipments")
    fulfilments = models.ManyToManyField("fulfilment.ProducerFulfilment", related_name="gie_shipments")
    carrier = models.CharField(_("Carrier"), max_length=64)
    tracking_number = models.CharField(_("Tracking number"), max_length=128, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-date_created", "-pk")
        verbose_name = _("Consolidated shipment")

    def __str__(self):
        return f"{self.order.number} — {self.carrier} {self.tracking_number}".strip()


class ExportJob(models.Model):
    """A file too long to build in a request: built by a Celery task, with progress and a download.

    Either the consolidated CSV of open lines (progress in rows) or a ZIP of every purchase order
    of one round (progress in members).
    """

    class Kind(models.TextChoices):
        CONSOLIDATED = "consolidated", _("Open lines (CSV)")
        PURCHASE_ORDERS = "purchase_orders", _("Purchase orders of a round (ZIP)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    gie = models.ForeignKey(Gie, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONSOLIDATED)
    round = models.ForeignKey(
        CollectionRound, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=private_upload_to("gie/exports"), blank=True)
    error = models.TextField(blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    # Written every 30 s while the export runs (core.jobs): no heartbeat for minutes means it died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-date_created", "-pk")
        verbose_name = _("Export")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="consolidated", round__isnull=True)
                | models.Q(kind="purchase_orders", round__isnull=False),
                name="gie_exportjob_round_only_for_purchase_orders",
            )
        ]

    def __str__(self):
        return f"{self.gie} export {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.rows_done / max(self.rows_total, 1))
