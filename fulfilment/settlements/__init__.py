"""Settlement statements: what each producer earned over a period, in MAD, from delivered fulfilments.

The formula is the producer's share of each unit, `core.money.producer_unit_share`, the one a GIE
purchase order promises and a product page shows. Per order line, in MAD at the order's recorded rate:
unit price = cents(unit price × rate); per unit, commission = cents(unit price × the producer's
commission rate) and payment fee = cents(unit price × the fee rate of the order's payment method
(its first payment source)). Per fulfilment:

    gross        = Σ ordered units × unit price
    refunds      = Σ cancelled units × unit price  (+ any shipping refunded, converted)
    commission   = Σ kept units × per-unit commission
    payment fees = Σ kept units × per-unit fee + cents(kept shipping × fee rate)
    shipping     = cents(shipping charge × rate)
    net payable  = gross − refunds − commission − payment fees + shipping

so the goods of the delivered units pay exactly Σ units × share. A statement is the sum of its lines.

When a fulfilment is settled: a card-paid one once delivered on or before the period's last day; a
cash-on-delivery one only once the carrier's cash was remitted to the platform (`cod_remitted_at`)
on or before that day — until then it waits, and a later run carries it into the next statement.
A hub's parcel shipping is paid to the module's payee (the GIE), on a line of kind `shipping`.

Modules: `amounts` (the Python reference arithmetic), `runs` (which fulfilments to settle, the run in
Python and set-based on PostgreSQL), `payees` (who is paid the shipping), `services` (drawing up and
marking paid, permission-checked: views call only these, or the GIE app's coordinator service).
"""

from fulfilment.settlements.amounts import AMOUNT_FIELDS, SettlementAmounts, fulfilment_settlement_amounts
from fulfilment.settlements.services import settlement_lines_of, settlement_mark_paid, settlements_draw_up

__all__ = [
    "AMOUNT_FIELDS",
    "SettlementAmounts",
    "fulfilment_settlement_amounts",
    "settlement_lines_of",
    "settlement_mark_paid",
    "settlements_draw_up",
]
