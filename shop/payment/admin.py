from django.contrib import admin
from oscar.apps.payment.admin import *  # noqa: F401,F403  (Oscar's Source, Transaction, … admins)

from shop.payment.models import StripeEvent, StripePaymentIntent


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "received_at", "processed_at")
    list_filter = ("type",)
    search_fields = ("id",)
    readonly_fields = ("id", "type", "payload", "received_at", "processed_at")


@admin.register(StripePaymentIntent)
class StripePaymentIntentAdmin(admin.ModelAdmin):
    list_display = (
        "intent_id",
        "order_number",
        "amount",
        "currency",
        "status",
        "amount_refunded",
        "is_disputed",
    )
    list_filter = ("status", "currency", "is_disputed")
    search_fields = ("intent_id", "order_number")
