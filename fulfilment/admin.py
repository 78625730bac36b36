from django.contrib import admin

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
    )
    list_filter = ("status", "module")
    list_select_related = ("order", "partner")
    raw_id_fields = ("order",)
    readonly_fields = ("status", "refund_due")
    inlines = (FulfilmentLineInline, FulfilmentEventInline)


@admin.register(SelfShipRate)
class SelfShipRateAdmin(admin.ModelAdmin):
    list_display = ("partner", "zone", "max_weight_kg", "charge")
    list_filter = ("zone",)
