"""The reference arithmetic of one fulfilment's settlement, in `Decimal`, from `producer_unit_share`.

The set-based PostgreSQL run (`runs._settlements_create_in_sql`) computes the same figures in SQL;
a PostgreSQL test compares both on one mixed month, figure by figure.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from core.money import ZERO, cents, producer_unit_share

AMOUNT_FIELDS = ("gross", "refunds", "commission", "payment_fees", "shipping", "net_payable")


class SettlementAmounts(NamedTuple):
    """One line's (or one statement's) figures in MAD, in the order of AMOUNT_FIELDS."""

    gross: Decimal = ZERO
    refunds: Decimal = ZERO
    commission: Decimal = ZERO
    payment_fees: Decimal = ZERO
    shipping: Decimal = ZERO
    net_payable: Decimal = ZERO

    @classmethod
    def total(cls, many: list["SettlementAmounts"]) -> "SettlementAmounts":
        return cls(*(sum(column, ZERO) for column in zip(*many, strict=True))) if many else cls()


class LineUnits(NamedTuple):
    """One order line of a fulfilment: its unit price in the order's currency, units ordered, cancelled."""

    unit_price: Decimal
    ordered: int
    cancelled: int


class FulfilmentAmounts(NamedTuple):
    """A fulfilment's goods and its shipping, apart: a hub's shipping is paid to someone else."""

    goods: SettlementAmounts
    shipping: SettlementAmounts


def fulfilment_settlement_amounts(
    *,
    lines: Iterable[LineUnits],
    refund_due: Decimal,
    shipping_charge: Decimal,
    rate_to_mad: Decimal,
    commission_rate: Decimal,
    fee_rate: Decimal,
) -> FulfilmentAmounts:
    """A fulfilment's settlement in MAD: per unit, the producer's share of its line's price (rounded
    per unit, so the delivered units pay exactly units × share); the shipping on its own."""
    gross = refunds = commission = fees = ZERO
    cancelled_value = ZERO  # in the order's currency, as `refund_due` counts it
    for unit_price, ordered, cancelled in lines:
        share = producer_unit_share(
            unit_price_mad=unit_price * rate_to_mad, commission_rate=commission_rate, fee_rate=fee_rate
        )
        kept = ordered - cancelled
        gross += ordered * share.price
        refunds += cancelled * share.price
        commission += kept * share.commission
        fees += kept * share.payment_fee
        cancelled_value += cancelled * unit_price
    goods = SettlementAmounts(
        gross=gross,
        refunds=refunds,
        commission=commission,
        payment_fees=fees,
        net_payable=gross - refunds - commission - fees,
    )
    # What `refund_due` holds beyond the cancelled units is the shipping charge, refunded when a
    # fulfilment is withdrawn whole.
    shipping = cents(shipping_charge * rate_to_mad)
    shipping_refunded = cents((refund_due - cancelled_value) * rate_to_mad)
    shipping_fee = cents((shipping - shipping_refunded) * fee_rate)
    return FulfilmentAmounts(
        goods=goods,
        shipping=SettlementAmounts(
            refunds=shipping_refunded,
            payment_fees=shipping_fee,
            shipping=shipping,
            net_payable=shipping - shipping_refunded - shipping_fee,
        ),
    )
