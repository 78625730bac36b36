from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct, AbstractProductClass

from catalog.regions import REGION_CHOICES


class ProductClass(AbstractProductClass):
    """A product type (saffron, argan oil…); its typed attributes are declared in `catalog.attributes`."""

    is_food = models.BooleanField(
        _("Food product"),
        default=True,
        help_text=_("Food products need a valid ONSSA sanitary authorisation on their producer to be sold."),
    )


class QualityLabel(models.Model):
    """A protected sign (AOP, IGP, organic, fair trade); shown only while the producer is certified."""

    class Kind(models.TextChoices):
        AOP = "aop", _("Protected designation of origin (AOP)")
        IGP = "igp", _("Protected geographical indication (IGP)")
        ORGANIC = "organic", _("Organic farming")
        FAIR_TRADE = "fair_trade", _("Fair trade")

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    kind = models.CharField(_("Kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("Name"), max_length=128)

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("Quality label")

    def __str__(self):
        return self.name


class Product(AbstractProduct):
    """Oscar's product with the mentions Moroccan labelling asks for and fr/ar/en texts."""

    class Unit(models.TextChoices):
        GRAM = "g", _("g")
        KILOGRAM = "kg", _("kg")
        MILLILITRE = "ml", _("ml")
        LITRE = "l", _("L")
        PIECE = "piece", _("piece(s)")

    net_quantity = models.DecimalField(
        _("Net quantity"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    net_quantity_unit = models.CharField(_("Unit"), max_length=8, choices=Unit.choices, blank=True)
    ingredients = models.TextField(_("Ingredients"), blank=True)
    storage_conditions = models.CharField(_("Storage conditions"), max_length=255, blank=True)
    origin_region = models.CharField(_("Origin region"), max_length=64, choices=REGION_CHOICES, blank=True)
    origin_commune = models.CharField(_("Origin commune"), max_length=128, blank=True)
    labels = models.ManyToManyField(
        QualityLabel, blank=True, related_name="products", verbose_name=_("Claimed quality labels")
    )
    # French is `title`/`description`; other languages fall back to it when empty.
    title_ar = models.CharField(_("Title (Arabic)"), max_length=255, blank=True)
    title_en = models.CharField(_("Title (English)"), max_length=255, blank=True)
    description_ar = models.TextField(_("Description (Arabic)"), blank=True)
    description_en = models.TextField(_("Description (English)"), blank=True)
    # Written by `catalog.services.products_search_index` (PostgreSQL only; GIN indexes in migration 0035).
    search_document = SearchVectorField(null=True, editable=False)
    search_title = models.TextField(blank=True, editable=False)

    def get_title(self):
        return self.localized("title") or super().get_title()

    def localized(self, field: str) -> str:
        """The field in the active language, falling back to French."""
        language = (translation.get_language() or "fr")[:2]
        if language != "fr":
            value = getattr(self, f"{field}_{language}", "")
            if value:
                return value
        return getattr(self, field)

    @property
    def localized_description(self) -> str:
        return self.localized("description")


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
