"""Tabular PDF and CSV files: settlement statements (and the table layout other apps reuse)."""

import csv
import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

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


def table_pdf(*, title: str, subtitle_lines: list[str], header: list[str], rows: list[list], widths) -> bytes:
    """A plain A4 table: a title, a few lines under it, then the rows, paging as needed."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    __, height = A4
    y = height - 20 * mm

    def row(cells, *, font="Helvetica", size=9):
        nonlocal y
        if y < 20 * mm:
            pdf.showPage()
            y = height - 20 * mm
        pdf.setFont(font, size)
        x = 15 * mm
        for cell, width in zip(cells, widths, strict=False):
            pdf.drawString(x, y, str(cell)[: int(width / (size * 0.5))])
            x += width
        y -= 5 * mm

    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(15 * mm, y, title)
    y -= 8 * mm
    for text in subtitle_lines:
        row([text], size=10)
    y -= 3 * mm
    row(header, font="Helvetica-Bold")
    for cells in rows:
        row(cells)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


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


def settlement_csv(*, statement, lines) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(SETTLEMENT_HEADER)
    writer.writerows(_settlement_rows(lines))
    writer.writerow(_settlement_total_row(statement))
    return buffer.getvalue()


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
