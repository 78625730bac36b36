"""Settlement statements: what each producer earned over a period, in MAD, from delivered fulfilments.

Per fulfilment, in the order's currency then converted at the order's recorded rate and rounded to
the centime: gross = ordered units × unit price; refunds = refund due (cancelled units);
commission = (gross − refunds) × producer's rate; payment fees = (gross − refunds + shipping) × the
payment method's rate; net = gross − refunds − commission − fees + shipping. A statement is the sum
of its rounded lines, so it reconciles to the centime with them.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from fulfilment.models import (
    FulfilmentEvent,
    ProducerFulfilment,
    SettlementLine,
    SettlementStatement,
)
from fulfilment.modules import UnknownFulfilmentModule, module_get

Source = get_model("payment", "Source")
# What `order_rate_to_mad` reads on an order; the settlement query loads only these.
ORDER_FIELDS_FOR_RATE = ("number", "currency", "exchange_rate__rate_to_mad")
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)
# Cash on delivery costs the carrier's collection fee; cards cost the processor's fee.
PAYMENT_FEE_RATES = {"cash-on-delivery": Decimal("0.0100"), "stripe": Decimal("0.0290")}
AMOUNT_FIELDS = ("gross", "refunds", "commission", "payment_fees", "shipping", "net_payable")


def order_rate_to_mad(order) -> Decimal:
    """MAD per unit of the order's currency, as fixed when the order was placed (1 for MAD orders).

    Payments record the rate in `currency.OrderExchangeRate` (reverse one-to-one `exchange_rate`);
    settlement rows carry it flattened as `exchange_rate__rate_to_mad`.
    """
    if order.currency == "MAD":
        return Decimal("1")
    rate = getattr(order, "exchange_rate__rate_to_mad", None)
    if rate is None:
        recorded = getattr(order, "exchange_rate", None)  # None when no rate was recorded
        rate = recorded.rate_to_mad if recorded is not None else None
    if not rate:
        raise ValidationError(
            _("Order %(number)s in %(currency)s has no recorded exchange rate.")
            % {"number": order.number, "currency": order.currency}
        )
    return Decimal(rate)


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class SettlementAmounts:
    gross: Decimal = ZERO
    refunds: Decimal = ZERO
    commission: Decimal = ZERO
    payment_fees: Decimal = ZERO
    shipping: Decimal = ZERO
    net_payable: Decimal = ZERO

    def add(self, other: "SettlementAmounts") -> None:
        for name in AMOUNT_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def fulfilment_settlement_amounts(
    *,
    gross: Decimal,
    refunds: Decimal,
    shipping: Decimal,
    rate_to_mad: Decimal,
    commission_rate: Decimal,
    fee_rate: Decimal,
) -> SettlementAmounts:
    gross_mad, refunds_mad, shipping_mad = (_cents(x * rate_to_mad) for x in (gross, refunds, shipping))
    commission = _cents((gross_mad - refunds_mad) * commission_rate)
    fees = _cents((gross_mad - refunds_mad + shipping_mad) * fee_rate)
    return SettlementAmounts(
        gross=gross_mad,
        refunds=refunds_mad,
        commission=commission,
        payment_fees=fees,
        shipping=shipping_mad,
        net_payable=gross_mad - refunds_mad - commission - fees + shipping_mad,
    )


def fulfilments_to_settle(*, period_end: datetime.date, partner_ids=None) -> list[dict]:
    """Fulfilments delivered on or before the period's last day and on no statement yet, with their
    gross, payment method and order's rate, in one grouped query (no model per row). A delivery left
    out of an earlier run (its producer's statement for that period already existed) is carried into
    the producer's next statement, never lost."""
    delivered = FulfilmentEvent.objects.filter(
        status_to=ProducerFulfilment.Status.DELIVERED, date_created__date__lte=period_end
    ).values("fulfilment_id")
    first_payment = Source.objects.filter(order_id=OuterRef("order_id")).order_by("pk")
    queryset = ProducerFulfilment.objects.filter(
        status=ProducerFulfilment.Status.DELIVERED, pk__in=delivered
    ).exclude(pk__in=SettlementLine.objects.values("fulfilment_id"))
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    rows = (
        queryset.order_by("partner_id", "pk")
        .values(
            "pk",
            "partner_id",
            "module",
            "routing_key",
            "refund_due",
            "shipping_charge",
            *(f"order__{name}" for name in ORDER_FIELDS_FOR_RATE),
        )
        .annotate(
            gross=Sum(
                ExpressionWrapper(
                    F("lines__quantity") * F("lines__line__unit_price_incl_tax"), output_field=MONEY
                )
            ),
            payment_code=Subquery(first_payment.values("source_type__code")[:1]),
        )
    )
    return list(rows)


@transaction.atomic
def settlements_create(
    *, period_start: datetime.date, period_end: datetime.date, partner_ids=None
) -> list[SettlementStatement]:
    """One statement per producer with deliveries to settle up to the period's end; a fulfilment is
    settled only once. Producers that already have a statement for this very period are left out:
    their later deliveries go on their next statement."""
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    # Every producer's, not only the selected ones': a hub's shipping goes to a producer outside them.
    already_drawn = set(
        SettlementStatement.objects.filter(period_start=period_start, period_end=period_end).values_list(
            "partner_id", flat=True
        )
    )
    rows = fulfilments_to_settle(period_end=period_end, partner_ids=partner_ids)
    payees = _shipping_payees(rows)
    commission_rates = commission_rates_for(partner_ids={row["partner_id"] for row in rows})
    per_partner: dict[int, tuple[SettlementAmounts, list[tuple]]] = {}
    rates: dict[str, Decimal] = {}

    def add_line(partner_id: int, row: dict, order, rate: Decimal, amounts: SettlementAmounts, kind: str):
        total, lines = per_partner.setdefault(partner_id, (SettlementAmounts(), []))
        total.add(amounts)
        values = (getattr(amounts, name) for name in AMOUNT_FIELDS)
        lines.append((row["pk"], kind, order.number, order.currency, rate, *values))

    for row in rows:
        payee = payees.get(row["routing_key"]) if row["shipping_charge"] else None
        if payee == row["partner_id"]:
            payee = None
        if row["partner_id"] in already_drawn or payee in already_drawn:
            continue  # waits for the producer's next statement, whole
        order = SimpleNamespace(**{name: row[f"order__{name}"] for name in ORDER_FIELDS_FOR_RATE})
        rate = rates.get(order.number)
        if rate is None:
            rate = rates[order.number] = order_rate_to_mad(order)
        fee_rate = PAYMENT_FEE_RATES.get(row["payment_code"] or "", ZERO)
        goods = fulfilment_settlement_amounts(
            gross=row["gross"] or ZERO,
            refunds=row["refund_due"],
            shipping=ZERO if payee else row["shipping_charge"],
            rate_to_mad=rate,
            commission_rate=commission_rates[row["partner_id"]],
            fee_rate=fee_rate,
        )
        add_line(row["partner_id"], row, order, rate, goods, SettlementLine.Kind.FULFILMENT)
        if payee:
            shipping = fulfilment_settlement_amounts(
                gross=ZERO,
                refunds=ZERO,
                shipping=row["shipping_charge"],
                rate_to_mad=rate,
                commission_rate=ZERO,
                fee_rate=fee_rate,
            )
            add_line(payee, row, order, rate, shipping, SettlementLine.Kind.SHIPPING)
    statements = SettlementStatement.objects.bulk_create(
        SettlementStatement(
            partner_id=partner_id,
            period_start=period_start,
            period_end=period_end,
            fulfilments_count=len(lines),
            **{name: getattr(total, name) for name in AMOUNT_FIELDS},
        )
        for partner_id, (total, lines) in per_partner.items()
    )
    if any(s.pk is None for s in statements):
        # Backends without RETURNING on bulk insert: read the ids back in one query.
        by_partner = dict(
            SettlementStatement.objects.filter(
                partner_id__in=list(per_partner), period_start=period_start, period_end=period_end
            ).values_list("partner_id", "pk")
        )
        for statement in statements:
            statement.pk = by_partner[statement.partner_id]
    _settlement_lines_insert(
        rows=[(s.pk, *line) for s in statements for line in per_partner[s.partner_id][1]],
    )
    return statements


def _shipping_payees(rows: list[dict]) -> dict[str, int]:
    """{routing key: producer paid the shipping} for rows whose module ships for its producers."""
    keys_by_module: dict[str, set[str]] = {}
    for row in rows:
        if row["routing_key"] and row["shipping_charge"]:
            keys_by_module.setdefault(row["module"], set()).add(row["routing_key"])
    payees: dict[str, int] = {}
    for name, keys in keys_by_module.items():
        try:
            payees.update(module_get(name).shipping_payees(routing_keys=keys))
        except UnknownFulfilmentModule:
            continue  # a module since removed: its shipping stays with the producer
    return payees


def _settlement_lines_insert(*, rows: list[tuple]) -> None:
    """Insert (statement, fulfilment, kind, number, currency, rate, *amounts) rows: tens of thousands of lines
    a month, where a model instance per row costs seconds. PostgreSQL takes them in one COPY (an
    executemany of 20,000 rows costs 0.7 s there); SQLite, in process, in one executemany."""
    quote = connection.ops.quote_name
    names = [
        "statement",
        "fulfilment",
        "kind",
        "order_number",
        "order_currency",
        "rate_to_mad",
        *AMOUNT_FIELDS,
    ]
    table = quote(SettlementLine._meta.db_table)
    columns = ", ".join(quote(SettlementLine._meta.get_field(name).column) for name in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _require_platform_staff(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only platform staff draw up statements and record payouts."))


def settlements_draw_up(
    *, actor, period_start: datetime.date, period_end: datetime.date
) -> list[SettlementStatement]:
    """The platform's month-end run: statements for every producer with deliveries to settle."""
    _require_platform_staff(actor)
    return settlements_create(period_start=period_start, period_end=period_end)


@transaction.atomic
def settlement_mark_paid(*, statement: SettlementStatement, reference: str, actor) -> SettlementStatement:
    """Record the transfer that paid the statement; platform staff only, once."""
    _require_platform_staff(actor)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Give the payment reference (transfer number)."))
    locked = SettlementStatement.objects.select_for_update().get(pk=statement.pk)
    if locked.date_paid:
        raise ValidationError(
            _("This statement was already paid (%(ref)s).") % {"ref": locked.payment_reference}
        )
    locked.date_paid = timezone.now()
    locked.payment_reference = reference
    locked.save(update_fields=["date_paid", "payment_reference"])
    return locked


def settlement_lines_of(*, statement: SettlementStatement) -> list[SettlementLine]:
    return list(statement.lines.order_by("pk"))
