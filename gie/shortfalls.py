"""What a shortfall at the hub means for one customer order: which units will not come, what they
come to, and how the customer is told for the way the order was paid (refunded on the card, or not
to be paid on delivery). The coordinator's confirmation page and the customer's e-mail both read it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from oscar.templatetags.currency_filters import currency

from core.payments import PaymentMethod, order_payment_method
from fulfilment.models import ProducerFulfilment
from gie.models import RoundLine


@dataclass
class OrderShortfall:
    order: object
    # (round line, units missing), in round line order
    lines: list[tuple[RoundLine, int]] = field(default_factory=list)
    # Fulfilments the shortfall leaves with nothing to send: their shipping charge is not due either.
    emptied_fulfilments: list[ProducerFulfilment] = field(default_factory=list)
    method: PaymentMethod | None = None

    @property
    def amount(self) -> Decimal:
        """What the customer does not owe any more, as `producer_fulfilment_shortfall_record` counts it."""
        lines = sum(
            (rl.fulfilment_line.line.unit_price_incl_tax * missing for rl, missing in self.lines),
            Decimal("0.00"),
        )
        return lines + sum((f.shipping_charge for f in self.emptied_fulfilments), Decimal("0.00"))

    @property
    def customer_wording(self) -> str:
        """The sentence the customer reads about the money, in the active language."""
        if self.method is None:
            return ""
        return self.method.refund_wording(currency(self.amount, self.order.currency))


def order_shortfalls_build(*, missing: dict[int, int], round_lines, emptied_fulfilment_ids) -> list:
    """One OrderShortfall per customer order, in order of their first short round line.

    `missing`: round line id → units missing; `round_lines`: those round lines with their fulfilment
    line, order line, fulfilment, order and partner; `emptied_fulfilment_ids`: the fulfilments the
    shortfall leaves with no unit to send.
    """
    by_order: dict[int, OrderShortfall] = {}
    for round_line in round_lines:
        units = missing.get(round_line.pk, 0)
        if not units:
            continue
        fulfilment = round_line.fulfilment_line.fulfilment
        shortfall = by_order.get(fulfilment.order_id)
        if shortfall is None:
            shortfall = by_order[fulfilment.order_id] = OrderShortfall(order=fulfilment.order)
        shortfall.lines.append((round_line, units))
        emptied = shortfall.emptied_fulfilments
        if fulfilment.pk in emptied_fulfilment_ids and all(f.pk != fulfilment.pk for f in emptied):
            emptied.append(fulfilment)
    for shortfall in by_order.values():
        shortfall.method = order_payment_method(shortfall.order)
    return list(by_order.values())
