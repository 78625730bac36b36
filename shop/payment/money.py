"""Decimal amounts ↔ Stripe's integer minor units."""

from decimal import Decimal

# ISO 4217 exponents that differ from 2 (Stripe's zero- and three-decimal currencies).
_EXPONENTS = {
    **dict.fromkeys(
        [
            "bif",
            "clp",
            "djf",
            "gnf",
            "jpy",
            "kmf",
            "krw",
            "mga",
            "pyg",
            "rwf",
            "ugx",
            "vnd",
            "vuv",
            "xaf",
            "xof",
            "xpf",
        ],
        0,
    ),
    **dict.fromkeys(["bhd", "jod", "kwd", "omr", "tnd"], 3),
}


def currency_exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.lower(), 2)


def amount_to_minor_units(*, amount: Decimal, currency: str) -> int:
    """12.34 EUR → 1234; refuses amounts finer than the currency allows instead of rounding them away."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"Amounts are Decimal, not {type(amount).__name__}.")
    if amount < 0:
        raise ValueError(f"An amount cannot be negative: {amount} {currency.upper()}.")
    minor = amount.scaleb(currency_exponent(currency))
    if minor != minor.to_integral_value():
        raise ValueError(f"{amount} {currency.upper()} has more decimals than {currency.upper()} allows.")
    return int(minor)


def amount_from_minor_units(*, minor_units: int, currency: str) -> Decimal:
    """1234 EUR cents → Decimal('12.34')."""
    exponent = currency_exponent(currency)
    return Decimal(int(minor_units)).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))
