from django.contrib import admin

from shop.currency.models import ExchangeRate


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ("effective_on", "base_currency", "quote_currency", "rate", "source", "created_by")
    list_filter = ("quote_currency",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        obj.created_by = obj.created_by or request.user
        super().save_model(request, obj, form, change)
