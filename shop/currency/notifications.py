"""Staff are warned when the EUR rate the storefront converts with has grown old."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.languages import in_platform_language
from shop.currency.selectors import exchange_rate_current


def messages_for_stale_exchange_rate(*, max_age_days: int, today: datetime.date | None = None) -> list[dict]:
    """A warning to each active staff user when the current EUR rate is older than `max_age_days` (or
    there is none); keyed by rate and ISO week, so it comes back weekly until a new rate is entered."""
    today = today or timezone.localdate()
    rate = exchange_rate_current(quote_currency="EUR", on=today)
    if rate is not None and (today - rate.effective_on).days <= max_age_days:
        return []
    year, week, __ = today.isocalendar()
    with in_platform_language():
        if rate is None:
            subject = _("No EUR exchange rate is set")
            body = _("Prices are shown in MAD only until platform staff enter a MAD→EUR rate in the admin.")
        else:
            subject = _("The EUR exchange rate is %(days)d days old") % {
                "days": (today - rate.effective_on).days
            }
            body = _(
                "The storefront still converts with 1 MAD = %(rate)s EUR (from %(date)s, %(source)s). "
                "Enter the current reference rate in the admin."
            ) % {"rate": rate.rate, "date": rate.effective_on.isoformat(), "source": rate.source}
    staff = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="").order_by("pk")
    return [
        {
            "key": f"exchange-rate-stale:{rate.pk if rate else 'none'}:{year}-W{week:02d}:{user.email}",
            "recipient": user.email,
            "subject": subject,
            "body": body,
        }
        for user in staff
    ]
