"""Settlement statements as PDF and CSV files."""

from decimal import Decimal

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from core.csv import csv_text
from core.pdf import pdf_localize, table_pdf

SETTLEMENT_HEADER = [
    "order",
    "currency",
    "rate_to_mad",
    "gross",
    "refunds",
    "commission",
    "payment_fees",
    "shipping",
    "net_payable",
]


def _settlement_rows(lines) -> list[list]:
    return [
        [
            line.order_number
            if line.kind == line.Kind.FULFILMENT
            else _("%(number)s (hub parcel)") % {"number": line.order_number},
            line.order_currency,
            line.rate_to_mad.normalize(),
            line.gross,
            line.refunds,
            line.commission,
            line.payment_fees,
            line.shipping,
            line.net_payable,
        ]
        for line in lines
    ]


def _settlement_total_row(statement) -> list:
    return [
        _("Total"),
        statement.currency,
        "",
        statement.gross,
        statement.refunds,
        statement.commission,
        statement.payment_fees,
        statement.shipping,
        statement.net_payable,
    ]


def settlement_csv_rows(*, statement, lines) -> list[list]:
    return [SETTLEMENT_HEADER, *_settlement_rows(lines), _settlement_total_row(statement)]


def settlement_csv(*, statement, lines) -> str:
    return csv_text(settlement_csv_rows(statement=statement, lines=lines))


def _commission_rate_line(statement) -> str | None:
    """The commission the statement charged, as a share of sales net of refunds ("8,0 %" in French)."""
    base = statement.gross - statement.refunds
    if not base:
        return None
    rate = (statement.commission * 100 / base).quantize(Decimal("0.1"))
    return _("Commission: %(rate)s %% of sales net of refunds") % {"rate": pdf_localize(rate)}


def settlement_pdf(*, statement, lines) -> bytes:
    """In the reader's language: dates and amounts written as that language writes them."""
    paid = (
        _("Paid on %(date)s, reference %(ref)s")
        % {"date": pdf_localize(statement.date_paid), "ref": statement.payment_reference}
        if statement.date_paid
        else _("Not paid yet")
    )
    return table_pdf(
        title=_("Settlement statement — %(partner)s") % {"partner": statement.partner},
        subtitle_lines=[
            _("Period: %(start)s to %(end)s")
            % {"start": pdf_localize(statement.period_start), "end": pdf_localize(statement.period_end)},
            _("Net payable: %(net)s %(currency)s")
            % {"net": pdf_localize(statement.net_payable), "currency": statement.currency},
            *filter(None, [_commission_rate_line(statement)]),
            paid,
        ],
        header=[
            _("Order"),
            _("Cur."),
            _("Rate"),
            _("Gross"),
            _("Refunds"),
            _("Commission"),
            _("Fees"),
            _("Shipping"),
            _("Net"),
        ],
        rows=[*_settlement_rows(lines), _settlement_total_row(statement)],
        # At 8 points the longest headers and the "(hub parcel)" orders fit their column in French and Arabic.
        widths=[36 * mm, 10 * mm, 18 * mm, 18 * mm, 30 * mm, 21 * mm, 12 * mm, 17 * mm, 18 * mm],
        size=8,
    )
