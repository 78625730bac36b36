from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    # E-mails are sent by workers, whose active language is the platform default: each customer
    # message is written in the language the customer ordered in, recorded here at placement.
    language = models.CharField(
        _("Language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The storefront language the order was placed in; the customer's e-mails use it."),
    )


from oscar.apps.order.models import *  # noqa: E402, F403
