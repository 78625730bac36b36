"""Periodic tasks of the checkout (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings

from shop.checkout.card import card_checkouts_expire as expire


@shared_task
def card_checkouts_expire() -> int:
    """Unpaid card checkouts are cancelled and their baskets given back."""
    return expire(older_than_minutes=settings.TERROIR_CARD_CHECKOUT_EXPIRY_MINUTES)
