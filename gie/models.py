from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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
        help_text=_("Set when the GIE also sells under its own name."),
    )
    description = models.TextField(_("Description"), blank=True)
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
