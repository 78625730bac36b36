"""A settlement run: which fulfilments are due, and their statements, in Python or set-based on
PostgreSQL. No permission check here: `services` (staff) and the GIE app's services (coordinators) check the
actor, then call `settlements_run_unchecked`.
"""

import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from core.money import ZERO, order_rate_to_mad
from core.payments import PaymentMethod
from fulfilment.models import (
    FulfilmentEvent,
    ProducerFulfilment,
    SettlementLine,
    SettlementStatement,
)
from fulfilment.settlements.amounts import (
    AMOUNT_FIELDS,
    LineUnits,
    SettlementAmounts,
    fulfilment_settlement_amounts,
)
from fulfilment.settlements.payees import shipping_payees

Source = get_model("payment", "Source")
# What `order_rate_to_mad` reads on an order; the settlement query loads only these.
ORDER_FIELDS_FOR_RATE = ("number", "currency", "exchange_rate__rate_to_mad")
# One row per (fulfilment, order line): the fulfilment's fields, then its line's.
LINE_FIELDS = ("lines__line__unit_price_incl_tax", "lines__quantity", "lines__quantity_cancelled")
SETTLEMENT_RUN_LOCK = 7_001  # pg_advisory_xact_lock key of the settlement run


def _fee_rates() -> dict[str, Decimal]:
    return PaymentMethod.fee_rates()


def _delivered_unsettled(*, period_end: datetime.date, partner_ids=None):
    """Fulfilments delivered on or before the period's last day and on no statement yet."""
    delivered = FulfilmentEvent.objects.filter(
        status_to=ProducerFulfilment.Status.DELIVERED, date_created__date__lte=period_end
    ).values("fulfilment_id")
    queryset = ProducerFulfilment.objects.filter(
        status=ProducerFulfilment.Status.DELIVERED, pk__in=delivered
    ).exclude(pk__in=SettlementLine.objects.values("fulfilment_id"))
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    return queryset


def _due(*, period_end: datetime.date, partner_ids=None):
    """The delivered, unsettled fulfilments that are due: paid by card, or paid in cash on delivery
    and the carrier remitted that cash to the platform by the period's last day."""
    # Orders whose first payment source is cash on delivery, looked up once (not per fulfilment).
    earlier_source = Source.objects.filter(order_id=OuterRef("order_id"), pk__lt=OuterRef("pk"))
    cash_orders = (
        Source.objects.filter(source_type__code=PaymentMethod.CASH_ON_DELIVERY.value)
        .exclude(Exists(earlier_source))
        .values("order_id")
    )
    first_payment = Source.objects.filter(order_id=OuterRef("order_id")).order_by("pk")
    return (
        _delivered_unsettled(period_end=period_end, partner_ids=partner_ids)
        .filter(Q(cod_remitted_at__date__lte=period_end) | ~Q(order_id__in=cash_orders))
        .annotate(payment_code=Coalesce(Subquery(first_payment.values("source_type__code")[:1]), Value("")))
    )


def fulfilments_to_settle(*, period_end: datetime.date, partner_ids=None):
    """The fulfilments due (see `_due`) as one query of plain rows, one per order line,
    with the payment method and the order's rate (no model per row). A fulfilment left out of an
    earlier run (its producer's statement for that period already existed, or its cash was not yet
    remitted) is carried into the producer's next statement, never lost."""
    return (
        _due(period_end=period_end, partner_ids=partner_ids)
        .order_by("partner_id", "pk", "lines__pk")
        .values(
            "pk",
            "partner_id",
            "module",
            "routing_key",
            "refund_due",
            "shipping_charge",
            "payment_code",
            *(f"order__{name}" for name in ORDER_FIELDS_FOR_RATE),
            *LINE_FIELDS,
        )
    )


@transaction.atomic
def settlements_run_unchecked(
    *, period_start: datetime.date, period_end: datetime.date, partner_ids=None
) -> list[SettlementStatement]:
    """One statement per producer with fulfilments due up to the period's end; a fulfilment is settled
    only once. Producers that already have a statement for this very period are left out: their later
    deliveries go on their next statement. Internal: checks no actor (see `services`)."""
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
        # A superset of the rows (cash not yet remitted too) is enough to look up payees and rates.
        unsettled = _delivered_unsettled(period_end=period_end, partner_ids=partner_ids)
        return _settlements_create_in_sql(
            rows=rows, unsettled=unsettled, already_drawn=already_drawn, **period
        )
    return _settlements_create_in_python(rows=list(rows), already_drawn=already_drawn, **period)


def _settlements_create_in_python(*, rows, already_drawn, period_start, period_end):
    """The reference arithmetic, one fulfilment at a time (SQLite has no exact decimal type)."""
    payees = shipping_payees((row["module"], row["routing_key"]) for row in rows if row["shipping_charge"])
    commission_rates = commission_rates_for(partner_ids={row["partner_id"] for row in rows})
    fee_rates = _fee_rates()
    # per producer: its lines as (fulfilment, kind, number, currency, rate) and their amounts
    per_partner: dict[int, tuple[list[tuple], list[SettlementAmounts]]] = {}
    rates: dict[str, Decimal] = {}

    def add_line(partner_id: int, row: dict, order, rate: Decimal, amounts: SettlementAmounts, kind: str):
        lines, amounts_of_lines = per_partner.setdefault(partner_id, ([], []))
        lines.append((row["pk"], kind, order.number, order.currency, rate))
        amounts_of_lines.append(amounts)

    for __, fulfilment_rows in groupby(rows, key=itemgetter("pk")):
        fulfilment_rows = list(fulfilment_rows)
        row = fulfilment_rows[0]
        payee = payees.get(row["routing_key"]) if row["shipping_charge"] else None
        if payee == row["partner_id"]:
            payee = None
        if row["partner_id"] in already_drawn or payee in already_drawn:
            continue  # waits for the producer's next statement, whole
        order = SimpleNamespace(**{name: row[f"order__{name}"] for name in ORDER_FIELDS_FOR_RATE})
        rate = rates.get(order.number)
        if rate is None:
            rate = rates[order.number] = order_rate_to_mad(order)
        goods, shipping = fulfilment_settlement_amounts(
            lines=[
                LineUnits(*(r[name] for name in LINE_FIELDS))
                for r in fulfilment_rows
                if r["lines__quantity"] is not None
            ],
            refund_due=row["refund_due"],
            shipping_charge=row["shipping_charge"],
            rate_to_mad=rate,
            commission_rate=commission_rates[row["partner_id"]],
            fee_rate=fee_rates.get(row["payment_code"], ZERO),
        )
        if payee:
            add_line(row["partner_id"], row, order, rate, goods, SettlementLine.Kind.FULFILMENT)
            add_line(payee, row, order, rate, shipping, SettlementLine.Kind.SHIPPING)
        else:
            both = SettlementAmounts.total([goods, shipping])
            add_line(row["partner_id"], row, order, rate, both, SettlementLine.Kind.FULFILMENT)
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
    """The same arithmetic as `fulfilment_settlement_amounts` (and `producer_unit_share` per unit),
    set-based on PostgreSQL: its numeric type is exact and its ROUND(x, 2) rounds half away from zero
    like ROUND_HALF_UP. No row passes through Python: the lines are computed into a temporary table,
    the statements summed from it, then the lines copied next to their statements. Both paths answer
    the same hand-computed tests, and a test compares them figure by figure."""
    pairs = unsettled.filter(shipping_charge__gt=0).values_list("module", "routing_key").distinct()
    payees = shipping_payees(pairs.order_by())
    rates = commission_rates_for(partner_ids=unsettled.values("partner_id"))
    fee_rates = _fee_rates()
    rows_sql, rows_params = rows.query.sql_with_params()
    table, statement_table = SettlementLine._meta.db_table, SettlementStatement._meta.db_table
    amounts = ", ".join(AMOUNT_FIELDS)
    unit_price, ordered, cancelled = (f'b."{name}"' for name in LINE_FIELDS)
    fulfilment_columns = (
        "fulfilment_id, partner_id, order_number, order_currency, rate_to_mad, refund_due, "
        "shipping_charge, fee_rate, payee_id"
    )
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
                       b.refund_due, b.shipping_charge,
                       COALESCE({unit_price}, 0) AS unit_price, COALESCE({ordered}, 0) AS ordered,
                       COALESCE({cancelled}, 0) AS cancelled,
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
                SELECT *, ROUND(unit_price * rate_to_mad, 2) AS unit_mad FROM kept
            ),
            unit_share AS (  -- producer_unit_share, per unit
                SELECT *, ROUND(unit_mad * commission_rate, 2) AS unit_commission,
                       ROUND(unit_mad * fee_rate, 2) AS unit_fee
                FROM converted
            ),
            fulfilment AS (
                SELECT {fulfilment_columns},
                       SUM(ordered * unit_mad) AS gross, SUM(cancelled * unit_mad) AS goods_refunds,
                       SUM((ordered - cancelled) * unit_commission) AS commission,
                       SUM((ordered - cancelled) * unit_fee) AS goods_fees,
                       SUM(cancelled * unit_price) AS cancelled_value
                FROM unit_share
                GROUP BY {fulfilment_columns}
            ),
            shipping AS (
                SELECT *, ROUND(shipping_charge * rate_to_mad, 2) AS shipping_mad,
                       ROUND((refund_due - cancelled_value) * rate_to_mad, 2) AS shipping_refunded
                FROM fulfilment
            ),
            shipping_fee AS (
                SELECT *, ROUND((shipping_mad - shipping_refunded) * fee_rate, 2) AS shipping_fees
                FROM shipping
            ),
            figured AS (
                SELECT fulfilment_id, partner_id, 'fulfilment'::text AS kind, order_number, order_currency,
                       rate_to_mad, gross,
                       goods_refunds + CASE WHEN payee_id IS NULL THEN shipping_refunded ELSE 0 END
                           AS refunds,
                       commission,
                       goods_fees + CASE WHEN payee_id IS NULL THEN shipping_fees ELSE 0 END
                           AS payment_fees,
                       CASE WHEN payee_id IS NULL THEN shipping_mad ELSE 0 END AS shipping
                FROM shipping_fee
                UNION ALL
                SELECT fulfilment_id, payee_id, 'shipping', order_number, order_currency, rate_to_mad,
                       0, shipping_refunded, 0, shipping_fees, shipping_mad
                FROM shipping_fee WHERE payee_id IS NOT NULL
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
                list(fee_rates),
                list(fee_rates.values()),
                list(already_drawn),
                list(already_drawn),
            ],
        )
        # a non-MAD order without its recorded rate converts to NULL: refuse rather than guess
        cursor.execute(
            "SELECT order_number, order_currency FROM settlement_run_lines WHERE rate_to_mad IS NULL LIMIT 1"
        )
        missing_rate = cursor.fetchone()
        if missing_rate:
            raise ValidationError(
                _("Order %(number)s in %(currency)s has no recorded exchange rate.")
                % {"number": missing_rate[0], "currency": missing_rate[1]}
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
