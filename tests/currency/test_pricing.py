"""The MAD → EUR rule, on hand-computed examples (rate 1 MAD = 0.0925 EUR)."""

from decimal import Decimal

import pytest

from shop.currency.pricing import CurrencyQuote, eur_price_round, mad_to_eur

RATE = Decimal("0.0925")


@pytest.mark.parametrize(
    ("mad", "exact", "shown"),
    [
        ("75.00", "6.9375", "7.50"),  # past .90 → next euro's .50
        ("145.00", "13.4125", "13.50"),
        ("60.00", "5.55", "5.90"),  # past .50 → same euro's .90
        ("680.00", "62.90", "62.90"),  # already on an ending: unchanged
        ("32.40", "2.997", "3.50"),
        ("2.00", "0.185", "0.50"),
        ("0.00", "0", "0.00"),
    ],
)
def test_eur_prices_round_up_to_the_next_50_or_90_ending(mad, exact, shown):
    assert Decimal(mad) * RATE == Decimal(exact)
    assert mad_to_eur(amount_mad=Decimal(mad), rate=RATE) == Decimal(shown)


def test_rounding_never_lowers_a_price():
    for cents in range(0, 1000, 7):
        amount = Decimal(cents) / 100
        rounded = eur_price_round(amount=amount)
        assert rounded >= amount and rounded - amount < Decimal("0.60") + Decimal("0.01")
        assert amount == 0 or str(rounded)[-3:] in (".50", ".90")


def test_a_quote_converts_only_from_mad():
    quote = CurrencyQuote(code="EUR", rate_id=1, rate=RATE)
    assert quote.convert(amount=Decimal("75.00"), from_currency="MAD") == Decimal("7.50")
    assert quote.convert(amount=Decimal("7.50"), from_currency="EUR") == Decimal("7.50")
    with pytest.raises(ValueError):
        quote.convert(amount=Decimal("1"), from_currency="USD")
