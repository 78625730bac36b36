from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.utils.translation import gettext_lazy as _

from fulfilment.cod import CodInputError, fulfilments_cod_remit
from fulfilment.models import FulfilmentEvent, FulfilmentLine, ProducerFulfilment, SelfShipRate


class FulfilmentLineInline(admin.TabularInline):
    model = FulfilmentLine
    raw_id_fields = ("line",)
    extra = 0


class FulfilmentEventInline(admin.TabularInline):
    model = FulfilmentEvent
    raw_id_fields = ("actor",)
    readonly_fields = ("date_created",)
    extra = 0


class CodRemittanceActionForm(ActionForm):
    reference = forms.CharField(label=_("Remittance reference"), required=False, max_length=128)


@admin.register(ProducerFulfilment)
class ProducerFulfilmentAdmin(admin.ModelAdmin):
    """Read-mostly: state changes go through fulfilment.services, not through this form."""

    list_display = (
        "order",
        "partner",
        "module",
        "status",
        "shipping_charge",
        "tracking_number",
        "refund_due",
        "cod_collected_amount",
        "cod_remitted_at",
        "cod_remittance_reference",
    )
    list_filter = ("status", "module")
    list_select_related = ("order", "partner")
    raw_id_fields = ("order",)
    readonly_fields = (
        "status",
        "refund_due",
        "cod_collected_amount",
        "cod_collected_at",
        "cod_remitted_at",
        "cod_remittance_reference",
    )
    inlines = (FulfilmentLineInline, FulfilmentEventInline)
    action_form = CodRemittanceActionForm
    actions = ("cod_remit",)

    @admin.action(description=_("Cash remitted by the carrier (give the reference)"), permissions=["change"])
    def cod_remit(self, request, queryset):
        try:
            done = fulfilments_cod_remit(
                fulfilments=list(queryset), reference=request.POST.get("reference", ""), actor=request.user
            )
        except CodInputError as exc:
            self.message_user(request, str(exc), level=messages.ERROR)
            return
        self.message_user(
            request, _("%d fulfilments marked as remitted.") % len(done), level=messages.SUCCESS
        )


@admin.register(SelfShipRate)
class SelfShipRateAdmin(admin.ModelAdmin):
    list_display = ("partner", "zone", "max_weight_kg", "charge")
    list_filter = ("zone",)
