"""Which language a message or a document is written in, whatever the worker's own language."""

import functools

from django.conf import settings
from django.utils import translation


def in_customer_language(order):
    """Workers run in the platform's language: a customer's message is written in the order's."""
    return translation.override(order.language or settings.LANGUAGE_CODE)


def in_platform_language():
    """Producers and GIE coordinators: no preferred language is stored for users, so the default (French)."""
    return translation.override(settings.LANGUAGE_CODE)


def in_pdf_language(build):
    """PDFs use reportlab's Helvetica, which has no Arabic letters, and reportlab does not join or
    reorder right-to-left text: for a reader in Arabic the document is written in the platform's
    default language (French) rather than as empty boxes."""

    @functools.wraps(build)
    def wrapper(*args, **kwargs):
        if translation.get_language_bidi():
            with translation.override(settings.LANGUAGE_CODE):
                return build(*args, **kwargs)
        return build(*args, **kwargs)

    return wrapper
