from django.contrib import admin
from oscar.apps.partner.admin import *  # noqa: F401,F403
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Lot = get_model("partner", "Lot")

admin.site.unregister(Partner)


@admin.register(Partner)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "commune", "ice", "fulfilment_module", "is_featured")
    list_filter = ("kind", "region", "is_featured")
    search_fields = ("name", "legal_name", "ice", "registration_number")
    filter_horizontal = ("users",)


@admin.register(Lot)
class LotAdmin(admin.ModelAdmin):
    list_display = ("code", "stockrecord", "quantity", "status", "harvest_date", "best_before")
    list_filter = ("status",)
    search_fields = ("code",)
    raw_id_fields = ("stockrecord",)
