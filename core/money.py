"""Money rules every app shares: conversion to MAD (in Python and as a database expression), rounding
to the centime, and the producer's share of a unit price.

Producers are paid in MAD. An order placed in another currency records, when it is placed, how many
MAD one unit of its currency is worth (`currency.OrderExchangeRate`, reverse one-to-one
`exchange_rate` on the order); every conversion of that order's amounts uses that rate and no other.
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Value, When
from django.db.models.functions import Round
from django.utils.translation import gettext as _

MAD = "MAD"
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
RATE = DecimalField(max_digits=18, decimal_places=8)
RATED_MONEY = DecimalField(max_digits=28, decimal_places=10)


def cents(amount) -> Decimal:
    """Rounded to the centime, half away from zero (PostgreSQL's ROUND(numeric, 2) does the same)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def rate_to_mad(*, currency: str, rate: Decimal | None, number: str = "") -> Decimal:
    """MAD for one unit of `currency` at the rate an order recorded (1 for MAD)."""
    if currency == MAD:
        return Decimal("1")
    if not rate:
        raise ValidationError(
            _("Order %(number)s in %(currency)s has no recorded exchange rate.")
            % {"number": number, "currency": currency},
            code="no_exchange_rate",
        )
    return Decimal(rate)


def order_rate_to_mad(order) -> Decimal:
    """MAD per unit of the order's currency, as fixed when the order was placed.

    Takes an Order, or a plain row carrying `number`, `currency` and `exchange_rate__rate_to_mad`.
    """
    rate = getattr(order, "exchange_rate__rate_to_mad", None)
    if rate is None and order.currency != MAD:
        recorded = getattr(order, "exchange_rate", None)  # None when no rate was recorded
        rate = recorded.rate_to_mad if recorded is not None else None
    return rate_to_mad(currency=order.currency, rate=rate, number=order.number)


def amount_to_mad(*, amount: Decimal, order) -> Decimal:
    """An amount of the order's currency in MAD, at the order's recorded rate, to the centime."""
    return cents(amount * order_rate_to_mad(order))


def order_path(prefix: str, name: str) -> str:
    return f"{prefix}__{name}" if prefix else name


def rate_to_mad_expression(order: str = ""):
    """`order_rate_to_mad` as a database expression; `order` is the lookup path to the order
    (e.g. "fulfilment__order"). NULL where a non-MAD order recorded no rate."""
    return Case(
        When(**{order_path(order, "currency"): MAD}, then=Value(Decimal("1"))),
        default=F(order_path(order, "exchange_rate__rate_to_mad")),
        output_field=RATE,
    )


def amount_to_mad_expression(amount, *, order: str = ""):
    """An amount expression of the order's currency, converted to MAD and rounded to the centime."""
    rated = ExpressionWrapper(amount * rate_to_mad_expression(order), output_field=RATED_MONEY)
    return Round(rated, 2, output_field=MONEY)


class UnitShare(NamedTuple):
    """How one unit's price, in MAD, divides: the platform's commission, the payment fee, and the
    producer's share. A purchase order promises the share, a statement pays it, a product page shows it."""

    price: Decimal
    commission: Decimal
    payment_fee: Decimal
    share: Decimal


def producer_unit_share(*, unit_price_mad: Decimal, commission_rate: Decimal, fee_rate: Decimal) -> UnitShare:
    """The one formula for a producer's price: each part rounded to the centime per unit, so that
    quantity × share is exactly what a statement pays for those units."""
    price = cents(unit_price_mad)
    commission = cents(price * commission_rate)
    fee = cents(price * fee_rate)
    return UnitShare(price=price, commission=commission, payment_fee=fee, share=price - commission - fee)
