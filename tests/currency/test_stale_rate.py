"""Staff are warned when the EUR rate has grown old (daily beat job, at most weekly per rate)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from shop.currency.models import ExchangeRate
from shop.currency.notifications import messages_for_stale_exchange_rate
from shop.currency.tasks import exchange_rate_stale_warn

pytestmark = pytest.mark.django_db


def _rate(days_old: int) -> ExchangeRate:
    return ExchangeRate.objects.create(
        rate=Decimal("0.0925"),
        effective_on=timezone.localdate() - datetime.timedelta(days=days_old),
        source="Bank Al-Maghrib",
    )


def test_staff_are_warned_once_a_week_about_a_rate_older_than_the_limit(demo, settings):
    # given a rate ten days old, a limit of seven days, and the platform's staff
    settings.TERROIR_EXCHANGE_RATE_MAX_AGE_DAYS = 7
    _rate(10)
    staff = set(
        get_user_model().objects.filter(is_staff=True, is_active=True).values_list("email", flat=True)
    )

    # when the job runs twice the same day
    first = exchange_rate_stale_warn.apply().result
    second = exchange_rate_stale_warn.apply().result

    # then each staff member got one warning, which says how old the rate is
    assert first == len(staff) > 0 and second == 0
    assert {m.to[0] for m in mail.outbox} == staff
    assert "10" in mail.outbox[0].subject

    # and a week later they are warned again
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    assert len(messages_for_stale_exchange_rate(max_age_days=7, today=next_week)) == len(staff)


def test_a_recent_rate_warns_nobody(demo):
    _rate(2)

    assert exchange_rate_stale_warn.apply().result == 0
