"""Which language a message or a document is written in, whatever the worker's own language."""

from django.conf import settings
from django.utils import translation


def in_customer_language(order):
    """Workers run in the platform's language: a customer's message is written in the order's."""
    return translation.override(order.language or settings.LANGUAGE_CODE)


def in_platform_language():
    """Producers and GIE coordinators: no preferred language is stored for users, so the default (French)."""
    return translation.override(settings.LANGUAGE_CODE)
