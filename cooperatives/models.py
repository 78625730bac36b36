from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner, AbstractStockRecord

from cooperatives.extensions import fulfilment_module_choices, fulfilment_module_default
from cooperatives.regions import REGION_CHOICES
from core.storage import private_upload_to

ice_validator = RegexValidator(
    regex=r"^\d{15}$",
    message=_("The ICE (Identifiant Commun de l'Entreprise) must be exactly 15 digits."),
    code="invalid_ice",
)


class Partner(AbstractPartner):
    """A producer: a cooperative, a GIE or an auto-entrepreneur selling on the marketplace."""

    class Kind(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        GIE = "gie", _("GIE (groupement d'intérêt économique)")
        AUTO_ENTREPRENEUR = "auto_entrepreneur", _("Auto-entrepreneur")

    slug = models.SlugField(_("Slug"), max_length=128, unique=True, null=True, blank=True)
    kind = models.CharField(_("Kind"), max_length=32, choices=Kind.choices, default=Kind.COOPERATIVE)
    legal_name = models.CharField(_("Legal name"), max_length=255, blank=True)
    registration_number = models.CharField(
        _("Registration number"), max_length=64, blank=True, help_text=_("ODCO or local register number")
    )
    ice = models.CharField(_("ICE"), max_length=15, blank=True, validators=[ice_validator])
    region = models.CharField(_("Region"), max_length=64, choices=REGION_CHOICES, blank=True)
    province = models.CharField(_("Province"), max_length=128, blank=True)
    commune = models.CharField(_("Commune"), max_length=128, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("Founded in"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    members_count = models.PositiveIntegerField(_("Members"), default=0)
    women_members_count = models.PositiveIntegerField(_("Women members"), default=0)
    story = models.TextField(_("Story"), blank=True)
    logo = models.ImageField(_("Logo"), upload_to="producers/logos", blank=True, null=True)
    is_featured = models.BooleanField(_("Featured on the home page"), default=False)
    commission_rate = models.DecimalField(
        _("Commission rate"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Empty: the default rate of its GIE, else the platform's (DEFAULT_COMMISSION_RATE)."),
    )
    # The modules are registered by fulfilment (and gie) when they load: choices and default are
    # read then, never frozen in a migration.
    fulfilment_module = models.CharField(
        _("Fulfilment module"),
        max_length=64,
        choices=fulfilment_module_choices,
        default=fulfilment_module_default,
    )
    onssa_number = models.CharField(
        _("ONSSA sanitary authorisation number"),
        max_length=32,
        blank=True,
        help_text=_("Law 28-07: needed to sell food products."),
    )
    onssa_valid_until = models.DateField(_("Sanitary authorisation valid until"), null=True, blank=True)
    # French is `story`; other languages fall back to it when empty.
    story_ar = models.TextField(_("Story (Arabic)"), blank=True)
    story_en = models.TextField(_("Story (English)"), blank=True)

    class Meta(AbstractPartner.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(women_members_count__lte=models.F("members_count")),
                name="partner_women_members_lte_members",
                violation_error_message=_("Women members cannot exceed the number of members."),
            )
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("cooperatives:detail", kwargs={"slug": self.slug})

    def has_valid_sanitary_authorisation(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return bool(self.onssa_number) and (self.onssa_valid_until is None or self.onssa_valid_until >= today)

    @property
    def localized_story(self) -> str:
        language = (translation.get_language() or "fr")[:2]
        return (language != "fr" and getattr(self, f"story_{language}", "")) or self.story


class StockRecord(AbstractStockRecord):
    """Oscar's stock record; `num_in_stock` is kept equal to the sum of its sellable lots."""


class Lot(models.Model):
    """A batch of one product from one producer, with its dates; stock is counted per lot."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        QUARANTINED = "quarantined", _("Quarantined")
        RECALLED = "recalled", _("Recalled")

    stockrecord = models.ForeignKey(
        "partner.StockRecord", on_delete=models.CASCADE, related_name="lots", verbose_name=_("Stock record")
    )
    code = models.CharField(_("Lot code"), max_length=64, unique=True)
    harvest_date = models.DateField(_("Harvest / production date"), null=True, blank=True)
    best_before = models.DateField(_("Best before"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("Quantity remaining"), default=0)
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    date_created = models.DateTimeField(auto_now_add=True)
    recalled_at = models.DateTimeField(_("Recalled at"), null=True, blank=True)
    recall_reason = models.TextField(_("Recall reason"), blank=True)

    class Meta:
        ordering = ("best_before", "pk")
        verbose_name = _("Lot")

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("lot-trace", kwargs={"code": self.code})

    @property
    def is_sellable(self):
        today = timezone.localdate()
        return self.status == self.Status.ACTIVE and (self.best_before is None or self.best_before >= today)


class LineLotAllocation(models.Model):
    """Which lot the units of an order line were taken from (first-expired-first-out)."""

    line = models.ForeignKey("order.Line", on_delete=models.CASCADE, related_name="lot_allocations")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="allocations")
    quantity = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("Lot allocation")

    def __str__(self):
        return f"{self.quantity} × {self.lot.code}"


class StockMovement(models.Model):
    """One change to a lot's stock or status: who made it, when and why (the producer's audit trail)."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Lot added")
        ADJUST = "adjust", _("Quantity adjusted")
        QUARANTINE = "quarantine", _("Quarantined")
        RELEASE = "release", _("Released from quarantine")
        RECALL = "recall", _("Recalled")
        IMPORT = "import", _("CSV import")

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="movements", verbose_name=_("Lot"))
    stockrecord = models.ForeignKey(
        "partner.StockRecord",
        on_delete=models.CASCADE,
        related_name="movements",
        verbose_name=_("Stock record"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    delta = models.IntegerField(_("Change in quantity"), default=0)
    quantity_after = models.PositiveIntegerField(_("Quantity after"))
    status_after = models.CharField(_("Status after"), max_length=16, choices=Lot.Status.choices)
    reason = models.CharField(_("Reason"), max_length=255, blank=True)
    created = models.DateTimeField(_("When"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("Stock movement")

    def __str__(self):
        return f"{self.lot_id} {self.kind} {self.delta:+d}"


class ProducerImport(models.Model):
    """A producer's CSV import, run in the background; its progress and errors are shown to the producer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused")

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="imports", verbose_name=_("Producer")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("File"), upload_to=private_upload_to("producers/imports"))
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now)
    # Written every 30 s while the import runs (core.jobs): no heartbeat for minutes means it died.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("Producer CSV import")

    def __str__(self):
        return f"{self.partner_id} import {self.pk} ({self.status})"

    @property
    def progress_percent(self) -> int:
        return 100 if not self.rows_total else min(100, self.rows_done * 100 // self.rows_total)


class ProducerCertificate(models.Model):
    """A producer's certificate for a quality label; the label shows on its products until `valid_until`."""

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="certificates", verbose_name=_("Producer")
    )
    label = models.ForeignKey(
        "catalogue.QualityLabel",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("Quality label"),
    )
    number = models.CharField(_("Certificate number"), max_length=64)
    certifier = models.CharField(_("Certifier"), max_length=128)
    valid_until = models.DateField(_("Valid until"))

    class Meta:
        ordering = ("-valid_until", "pk")
        verbose_name = _("Producer certificate")

    def __str__(self):
        return f"{self.label} — {self.number}"

    def is_valid(self, today: date | None = None) -> bool:
        return self.valid_until >= (today or timezone.localdate())


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
