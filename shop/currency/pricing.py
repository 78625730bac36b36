"""The conversion and rounding rule for prices shown in a currency other than MAD (pure functions)."""

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

SHOP_CURRENCY = "MAD"
CENT = Decimal("0.01")
# EUR prices end in .50 or .90, always rounded UP, so the euro price never pays the producer less
# than its MAD price at the day's rate (the rounding margin stays with the platform).
EUR_PRICE_ENDINGS = (Decimal("0.50"), Decimal("0.90"))


def eur_price_round(*, amount: Decimal) -> Decimal:
    """The smallest price ≥ amount that ends in .50 or .90 (6.9375 → 7.50; 5.55 → 5.90; 0 → 0.00)."""
    if amount <= 0:
        return Decimal("0.00")
    whole = amount.to_integral_value(rounding=ROUND_FLOOR)
    candidates = [whole + ending for ending in EUR_PRICE_ENDINGS] + [whole + 1 + EUR_PRICE_ENDINGS[0]]
    return next(candidate for candidate in candidates if candidate >= amount).quantize(CENT)


def mad_to_eur(*, amount_mad: Decimal, rate: Decimal) -> Decimal:
    return eur_price_round(amount=amount_mad * rate)


@dataclass(frozen=True)
class CurrencyQuote:
    """The currency a visitor sees prices in, with the rate row behind it (None for MAD itself)."""

    code: str
    rate_id: int | None = None
    rate: Decimal | None = None

    def convert(self, *, amount: Decimal, from_currency: str) -> Decimal:
        if from_currency == self.code:
            return amount
        if from_currency != SHOP_CURRENCY or self.code != "EUR" or self.rate is None:
            raise ValueError(f"No conversion from {from_currency} to {self.code}.")
        return mad_to_eur(amount_mad=amount, rate=self.rate)


MAD = CurrencyQuote(code=SHOP_CURRENCY)
