import datetime
from decimal import Decimal

import pytest

from shop.currency.models import ExchangeRate


@pytest.fixture
def eur_rate(db):
    """Today's rate, 1 MAD = 0.0925 EUR, with an older one that must not be used."""
    ExchangeRate.objects.create(
        rate=Decimal("0.0900"), effective_on=datetime.date(2020, 1, 1), source="Bank Al-Maghrib (old)"
    )
    return ExchangeRate.objects.create(
        rate=Decimal("0.0925"), effective_on=datetime.date(2026, 1, 1), source="Bank Al-Maghrib"
    )
