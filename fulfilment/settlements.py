"""Settlement statements: what each producer earned over a period, in MAD, from delivered fulfilments.

Per fulfilment, in the order's currency then converted at the order's recorded rate and rounded to
the centime: gross = ordered units × unit price; refunds = refund due (cancelled units);
commission = (gross − refunds) × producer's rate; payment fees = (gross − refunds + shipping) × the
payment method's rate; net = gross − refunds − commission − fees + shipping. A statement is the sum
of its rounded lines, so it reconciles to the centime with them.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from core.money import order_rate_to_mad
from core.payments import PaymentMethod
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
PAYMENT_FEE_RATES = PaymentMethod.fee_rates()
SETTLEMENT_RUN_LOCK = 7_001  # pg_advisory_xact_lock key of the settlement run
AMOUNT_FIELDS = ("gross", "refunds", "commission", "payment_fees", "shipping", "net_payable")


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


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


def _delivered_unsettled(*, period_end: datetime.date, partner_ids=None):
    delivered = FulfilmentEvent.objects.filter(
        status_to=ProducerFulfilment.Status.DELIVERED, date_created__date__lte=period_end
    ).values("fulfilment_id")
    queryset = ProducerFulfilment.objects.filter(
        status=ProducerFulfilment.Status.DELIVERED, pk__in=delivered
    ).exclude(pk__in=SettlementLine.objects.values("fulfilment_id"))
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    return queryset


def fulfilments_to_settle(*, period_end: datetime.date, partner_ids=None):
    """Fulfilments delivered on or before the period's last day and on no statement yet, as one
    grouped query of plain rows (no model per row) with their gross, payment method and order's rate.
    A delivery left out of an earlier run (its producer's statement for that period already existed)
    is carried into the producer's next statement, never lost."""
    first_payment = Source.objects.filter(order_id=OuterRef("order_id")).order_by("pk")
    rows = (
        _delivered_unsettled(period_end=period_end, partner_ids=partner_ids)
        .order_by("partner_id", "pk")
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
    return rows


@transaction.atomic
def settlements_create(
    *, period_start: datetime.date, period_end: datetime.date, partner_ids=None
) -> list[SettlementStatement]:
    """One statement per producer with deliveries to settle up to the period's end; a fulfilment is
    settled only once. Producers that already have a statement for this very period are left out:
    their later deliveries go on their next statement."""
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    if connection.vendor == "postgresql":
        # One run at a time (staff and a coordinator may click together): the second waits, then
        # finds the first one's statements and settled fulfilments. SQLite serialises writers anyway.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SETTLEMENT_RUN_LOCK])
    # Every producer's, not only the selected ones': a hub's shipping goes to a producer outside them.
    already_drawn = set(
        SettlementStatement.objects.filter(period_start=period_start, period_end=period_end).values_list(
            "partner_id", flat=True
        )
    )
    rows = fulfilments_to_settle(period_end=period_end, partner_ids=partner_ids)
    period = {"period_start": period_start, "period_end": period_end}
    if connection.vendor == "postgresql":
        unsettled = _delivered_unsettled(period_end=period_end, partner_ids=partner_ids)
        return _settlements_create_in_sql(
            rows=rows, unsettled=unsettled, already_drawn=already_drawn, **period
        )
    return _settlements_create_in_python(rows=list(rows), already_drawn=already_drawn, **period)


def _settlements_create_in_python(*, rows, already_drawn, period_start, period_end):
    """The reference arithmetic, one fulfilment at a time (SQLite has no exact decimal type)."""
    payees = _shipping_payees((row["module"], row["routing_key"]) for row in rows if row["shipping_charge"])
    commission_rates = commission_rates_for(partner_ids={row["partner_id"] for row in rows})
    # per producer: its lines as (fulfilment, kind, number, currency, rate) and their amounts
    per_partner: dict[int, tuple[list[tuple], list[SettlementAmounts]]] = {}
    rates: dict[str, Decimal] = {}

    def add_line(partner_id: int, row: dict, order, rate: Decimal, amounts: SettlementAmounts, kind: str):
        lines, amounts_of_lines = per_partner.setdefault(partner_id, ([], []))
        lines.append((row["pk"], kind, order.number, order.currency, rate))
        amounts_of_lines.append(amounts)

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
            **SettlementAmounts.total(amounts)._asdict(),
        )
        for partner_id, (lines, amounts) in per_partner.items()
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
        rows=[
            (s.pk, *line, *amounts)
            for s in statements
            for line, amounts in zip(*per_partner[s.partner_id], strict=True)
        ],
    )
    return statements


def _settlements_create_in_sql(*, rows, unsettled, already_drawn, period_start, period_end):
    """The same arithmetic as `fulfilment_settlement_amounts`, set-based on PostgreSQL: its numeric type
    is exact and its ROUND(x, 2) rounds half away from zero like ROUND_HALF_UP. No row passes through
    Python: the lines are computed into a temporary table, the statements summed from it, then the
    lines copied next to their statements. Both paths answer the same hand-computed tests."""
    missing_rate = list(
        unsettled.exclude(partner_id__in=already_drawn)  # left for a later run, as in Python
        .exclude(order__currency="MAD")
        .filter(order__exchange_rate__isnull=True)
        .values_list("order__number", "order__currency")[:5]
    )
    if missing_rate:
        number, currency = missing_rate[0]
        raise ValidationError(
            _("Order %(number)s in %(currency)s has no recorded exchange rate.")
            % {"number": number, "currency": currency}
        )
    pairs = unsettled.filter(shipping_charge__gt=0).values_list("module", "routing_key").distinct()
    payees = _shipping_payees(pairs.order_by())
    rates = commission_rates_for(partner_ids=unsettled.values("partner_id"))
    rows_sql, rows_params = rows.query.sql_with_params()
    table, statement_table = SettlementLine._meta.db_table, SettlementStatement._meta.db_table
    amounts = ", ".join(AMOUNT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS settlement_run_lines")
        cursor.execute(
            f"""
            CREATE TEMPORARY TABLE settlement_run_lines AS
            WITH base AS ({rows_sql}),
            commission(partner_id, rate) AS (SELECT * FROM unnest(%s::integer[], %s::numeric[])),
            payee(routing_key, partner_id) AS (SELECT * FROM unnest(%s::text[], %s::integer[])),
            fee(code, rate) AS (SELECT * FROM unnest(%s::text[], %s::numeric[])),
            source AS (
                SELECT b.pk AS fulfilment_id, b.partner_id, b."order__number" AS order_number,
                       b."order__currency" AS order_currency,
                       CASE WHEN b."order__currency" = 'MAD' THEN 1
                            ELSE b."order__exchange_rate__rate_to_mad" END AS rate_to_mad,
                       COALESCE(b.gross, 0) AS gross, b.refund_due, b.shipping_charge,
                       c.rate AS commission_rate, COALESCE(f.rate, 0) AS fee_rate,
                       CASE WHEN b.shipping_charge <> 0 AND p.partner_id <> b.partner_id
                            THEN p.partner_id END AS payee_id
                FROM base b
                JOIN commission c ON c.partner_id = b.partner_id
                LEFT JOIN payee p ON p.routing_key = b.routing_key
                LEFT JOIN fee f ON f.code = b.payment_code
            ),
            kept AS (
                SELECT * FROM source
                WHERE NOT (partner_id = ANY(%s::integer[]))
                  AND (payee_id IS NULL OR NOT (payee_id = ANY(%s::integer[])))
            ),
            converted AS (
                SELECT fulfilment_id, partner_id, 'fulfilment'::text AS kind, order_number, order_currency,
                       rate_to_mad, ROUND(gross * rate_to_mad, 2) AS gross,
                       ROUND(refund_due * rate_to_mad, 2) AS refunds,
                       CASE WHEN payee_id IS NULL THEN ROUND(shipping_charge * rate_to_mad, 2) ELSE 0 END
                           AS shipping,
                       commission_rate, fee_rate
                FROM kept
                UNION ALL
                SELECT fulfilment_id, payee_id, 'shipping', order_number, order_currency, rate_to_mad, 0, 0,
                       ROUND(shipping_charge * rate_to_mad, 2), 0, fee_rate
                FROM kept WHERE payee_id IS NOT NULL
            ),
            figured AS (
                SELECT *, ROUND((gross - refunds) * commission_rate, 2) AS commission,
                       ROUND((gross - refunds + shipping) * fee_rate, 2) AS payment_fees
                FROM converted
            )
            SELECT fulfilment_id, partner_id, kind, order_number, order_currency, rate_to_mad,
                   gross, refunds, commission, payment_fees, shipping,
                   gross - refunds - commission - payment_fees + shipping AS net_payable
            FROM figured
            """,
            [
                *rows_params,
                list(rates),
                list(rates.values()),
                list(payees),
                list(payees.values()),
                list(PAYMENT_FEE_RATES),
                list(PAYMENT_FEE_RATES.values()),
                list(already_drawn),
                list(already_drawn),
            ],
        )
        cursor.execute(
            f"""
            INSERT INTO {statement_table}
                (partner_id, period_start, period_end, currency, {amounts}, fulfilments_count,
                 date_created, payment_reference)
            SELECT partner_id, %s, %s, 'MAD', {", ".join(f"SUM({name})" for name in AMOUNT_FIELDS)},
                   COUNT(*), %s, ''
            FROM settlement_run_lines GROUP BY partner_id ORDER BY partner_id
            RETURNING id
            """,
            [period_start, period_end, timezone.now()],
        )
        statement_ids = [pk for (pk,) in cursor.fetchall()]
        cursor.execute(
            f"""
            INSERT INTO {table}
                (statement_id, fulfilment_id, kind, order_number, order_currency, rate_to_mad, {amounts})
            SELECT s.id, l.fulfilment_id, l.kind, l.order_number, l.order_currency, l.rate_to_mad,
                   {", ".join(f"l.{name}" for name in AMOUNT_FIELDS)}
            FROM settlement_run_lines l
            JOIN {statement_table} s ON s.partner_id = l.partner_id AND s.id = ANY(%s)
            ORDER BY l.partner_id, l.fulfilment_id, l.kind
            """,
            [statement_ids],
        )
        cursor.execute("DROP TABLE settlement_run_lines")
    return list(
        SettlementStatement.objects.filter(pk__in=statement_ids)
        .select_related("partner")
        .order_by("partner_id")
    )


def _shipping_payees(module_routing_keys) -> dict[str, int]:
    """{routing key: producer paid the shipping} for (module, routing key) pairs of fulfilments with
    shipping, where the module ships for its producers (a GIE hub)."""
    keys_by_module: dict[str, set[str]] = {}
    for module, routing_key in module_routing_keys:
        if routing_key:
            keys_by_module.setdefault(module, set()).add(routing_key)
    payees: dict[str, int] = {}
    for name, keys in keys_by_module.items():
        try:
            payees.update(module_get(name).shipping_payees(routing_keys=keys))
        except UnknownFulfilmentModule:
            continue  # a module since removed: its shipping stays with the producer
    return payees


def _settlement_lines_insert(*, rows: list[tuple]) -> None:
    """Insert (statement, fulfilment, kind, number, currency, rate, *amounts) rows in one executemany:
    a model instance per row would cost seconds for a month's lines."""
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
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
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
