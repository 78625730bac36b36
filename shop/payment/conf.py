"""Stripe configuration, read from settings at call time (never at import time)."""

from django.conf import settings


def card_payments_enabled() -> bool:
    """Cards need all three keys: the API key, the browser key and the webhook signing secret."""
    return bool(
        settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY and settings.STRIPE_WEBHOOK_SECRET
    )


def stripe_publishable_key() -> str:
    return settings.STRIPE_PUBLISHABLE_KEY
