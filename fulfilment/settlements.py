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

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from fulfilment.models import (
    FulfilmentEvent,
    FulfilmentLine,
    ProducerFulfilment,
    SettlementLine,
    SettlementStatement,
)

Source = get_model("payment", "Source")
Order = get_model("order", "Order")
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


def fulfilments_to_settle(
    *, period_start: datetime.date, period_end: datetime.date, partner_ids=None
) -> list[dict]:
    """Fulfilments delivered within the period and not on any statement yet, as plain rows with their
    gross, payment method and order: flat set-based queries, no correlated subquery, no model per row."""
    delivered_in_period = FulfilmentEvent.objects.filter(
        status_to=ProducerFulfilment.Status.DELIVERED,
        date_created__date__gte=period_start,
        date_created__date__lte=period_end,
    ).values("fulfilment_id")
    queryset = ProducerFulfilment.objects.filter(
        status=ProducerFulfilment.Status.DELIVERED, pk__in=delivered_in_period
    ).exclude(pk__in=SettlementLine.objects.values("fulfilment_id"))
    if partner_ids is not None:
        queryset = queryset.filter(partner_id__in=list(partner_ids))
    rows = list(
        queryset.order_by("partner_id", "pk").values(
            "pk", "partner_id", "order_id", "refund_due", "shipping_charge", "partner__commission_rate"
        )
    )
    gross = dict(
        FulfilmentLine.objects.filter(fulfilment__in=queryset.values("pk"))
        .order_by()
        .values("fulfilment_id")
        .annotate(
            total=Sum(ExpressionWrapper(F("quantity") * F("line__unit_price_incl_tax"), output_field=MONEY))
        )
        .values_list("fulfilment_id", "total")
    )
    payment: dict[int, str] = {}
    for order_id, code in (
        Source.objects.filter(order__in=queryset.values("order_id"))
        .order_by("-pk")
        .values_list("order_id", "source_type__code")
    ):
        payment[order_id] = code  # newest first, so the first source placed wins
    orders = {
        values["pk"]: SimpleNamespace(**values)
        for values in Order.objects.filter(pk__in=queryset.values("order_id")).values(
            "pk", *ORDER_FIELDS_FOR_RATE
        )
    }
    for row in rows:
        row["gross"] = gross.get(row["pk"]) or ZERO
        row["payment_code"] = payment.get(row["order_id"], "")
        row["order"] = orders[row["order_id"]]
    return rows


@transaction.atomic
def settlements_create(
    *, period_start: datetime.date, period_end: datetime.date, partner_ids=None
) -> list[SettlementStatement]:
    """One statement per producer with deliveries in the period; a fulfilment is settled only once."""
    if period_end < period_start:
        raise ValidationError(_("The period ends before it starts."))
    per_partner: dict[int, tuple[SettlementAmounts, list[tuple]]] = {}
    rates: dict[int, Decimal] = {}
    for row in fulfilments_to_settle(
        period_start=period_start, period_end=period_end, partner_ids=partner_ids
    ):
        order = row["order"]
        rate = rates.get(order.pk)
        if rate is None:
            rate = rates[order.pk] = order_rate_to_mad(order)
        amounts = fulfilment_settlement_amounts(
            gross=row["gross"],
            refunds=row["refund_due"],
            shipping=row["shipping_charge"],
            rate_to_mad=rate,
            commission_rate=row["partner__commission_rate"],
            fee_rate=PAYMENT_FEE_RATES.get(row["payment_code"] or "", ZERO),
        )
        total, lines = per_partner.setdefault(row["partner_id"], (SettlementAmounts(), []))
        total.add(amounts)
        lines.append(
            (
                row["pk"],
                order.number,
                order.currency,
                rate,
                *(getattr(amounts, name) for name in AMOUNT_FIELDS),
            )
        )
    existing = set(
        SettlementStatement.objects.filter(
            partner_id__in=list(per_partner), period_start=period_start, period_end=period_end
        ).values_list("partner_id", flat=True)
    )
    if existing:
        raise ValidationError(
            _("Statements for this period already exist for producers %s.") % sorted(existing)
        )
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


def _settlement_lines_insert(*, rows: list[tuple]) -> None:
    """Insert (statement, fulfilment, number, currency, rate, *amounts) rows in one executemany:
    tens of thousands of lines a month, where building a model instance per row costs seconds."""
    quote = connection.ops.quote_name
    names = ["statement", "fulfilment", "order_number", "order_currency", "rate_to_mad", *AMOUNT_FIELDS]
    columns = ", ".join(quote(SettlementLine._meta.get_field(name).column) for name in names)
    placeholders = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(SettlementLine._meta.db_table)} ({columns}) VALUES ({placeholders})", rows
        )


@transaction.atomic
def settlement_mark_paid(*, statement: SettlementStatement, reference: str) -> SettlementStatement:
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
