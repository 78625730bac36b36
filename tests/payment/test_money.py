from decimal import Decimal

import pytest

from shop.payment.money import amount_from_minor_units, amount_to_minor_units


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("12.34"), "EUR", 1234),
        (Decimal("12.3"), "eur", 1230),
        (Decimal("750"), "MAD", 75000),
        (Decimal("0.50"), "EUR", 50),
        (Decimal("1500"), "JPY", 1500),
        (Decimal("1.234"), "KWD", 1234),
    ],
)
def test_amounts_become_minor_units_by_the_currency_exponent(amount, currency, minor):
    assert amount_to_minor_units(amount=amount, currency=currency) == minor


def test_minor_units_come_back_as_decimal_with_the_currency_decimals():
    assert amount_from_minor_units(minor_units=1234, currency="eur") == Decimal("12.34")
    assert str(amount_from_minor_units(minor_units=75000, currency="MAD")) == "750.00"


def test_an_amount_finer_than_a_cent_is_refused_rather_than_rounded():
    with pytest.raises(ValueError, match="more decimals"):
        amount_to_minor_units(amount=Decimal("10.005"), currency="EUR")


def test_floats_and_negative_amounts_are_refused():
    with pytest.raises(TypeError):
        amount_to_minor_units(amount=10.5, currency="EUR")
    with pytest.raises(ValueError, match="negative"):
        amount_to_minor_units(amount=Decimal("-1"), currency="EUR")
