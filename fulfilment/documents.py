"""Settlement statements as PDF and CSV files."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from core.csv import csv_text
from core.languages import in_pdf_language
from core.pdf import table_pdf

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


@in_pdf_language
def settlement_pdf(*, statement, lines) -> bytes:
    paid = (
        _("Paid on %(date)s, reference %(ref)s")
        % {"date": statement.date_paid.date(), "ref": statement.payment_reference}
        if statement.date_paid
        else _("Not paid yet")
    )
    return table_pdf(
        title=_("Settlement statement — %(partner)s") % {"partner": statement.partner},
        subtitle_lines=[
            _("Period: %(start)s to %(end)s")
            % {"start": statement.period_start, "end": statement.period_end},
            _("Net payable: %(net)s %(currency)s")
            % {"net": statement.net_payable, "currency": statement.currency},
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
        widths=[30 * mm, 12 * mm, 16 * mm, 20 * mm, 18 * mm, 20 * mm, 16 * mm, 18 * mm, 22 * mm],
    )
