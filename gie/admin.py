from django.contrib import admin

from gie.models import Gie


@admin.register(Gie)
class GieAdmin(admin.ModelAdmin):
    list_display = ("name", "hub_city", "region", "commission_rate", "partner")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("members", "coordinators")
