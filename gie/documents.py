"""Files the hub hands out: purchase orders per member (PDF, CSV) and the consolidated CSV export."""

from django.utils.translation import gettext as _
from reportlab.lib.units import mm

from core.csv import csv_bytes
from core.pdf import pdf_localize, table_pdf

PURCHASE_ORDER_HEADER = [
    "order",
    "product",
    "sku",
    "lot",
    "quantity",
    "unit",
    "unit_price_to_producer",
    "total",
]


def _po_rows(lines) -> list[list]:
    unit = _("unit")
    return [
        [
            rl.order_number,
            rl.title,
            rl.sku,
            rl.lots,
            rl.quantity,
            unit,
            rl.unit_price_to_producer,
            rl.total_to_producer,
        ]
        for rl in lines
    ]


def purchase_order_filename(*, round_, partner) -> str:
    """Base name (no extension) of a member's purchase order files: download, ZIP entry, e-mail attachment."""
    return f"purchase-order-{round_.pk}-{partner.slug or partner.pk}"


def purchase_order_csv_rows(*, lines) -> list[list]:
    return [PURCHASE_ORDER_HEADER, *_po_rows(lines)]


def purchase_order_csv(*, lines) -> bytes:
    """The CSV file of a purchase order, as the ZIP and the member's e-mail carry it."""
    return csv_bytes(purchase_order_csv_rows(lines=lines))


def purchase_order_pdf(*, round_, partner, lines) -> bytes:
    """In the reader's language: dates and amounts written as that language writes them."""
    total = sum((rl.total_to_producer for rl in lines), 0)
    return table_pdf(
        title=_("Purchase order — %(partner)s") % {"partner": partner},
        subtitle_lines=[
            _("%(gie)s — round %(name)s") % {"gie": round_.gie, "name": round_.name},
            _("Collection date: %(date)s") % {"date": pdf_localize(round_.collection_date)},
            _("Total to producer: %(total)s MAD") % {"total": pdf_localize(total)},
        ],
        header=[_("Order"), _("Product"), _("SKU"), _("Lot"), _("Qty"), _("Unit"), _("Price"), _("Total")],
        rows=_po_rows(lines),
        widths=[18 * mm, 62 * mm, 20 * mm, 26 * mm, 10 * mm, 12 * mm, 16 * mm, 16 * mm],
    )


CONSOLIDATED_HEADER = [
    "order",
    "placed",
    "member",
    "product",
    "status",
    "destination",
    "units_open",
    "amount",
    "currency",
    "amount_mad",
    "round",
]


def consolidated_csv_rows(lines):
    """Rows of the consolidated export, streamed from an iterator of annotated lines."""
    yield CONSOLIDATED_HEADER
    for fl in lines:
        order = fl.fulfilment.order
        address = order.shipping_address
        round_line = getattr(fl, "round_line", None)
        yield [
            order.number,
            order.date_placed.date().isoformat() if order.date_placed else "",
            fl.fulfilment.partner.name,
            fl.line.title,
            fl.fulfilment.status,
            f"{address.line4}, {address.country_id}" if address else "",
            fl.units_open,
            fl.amount_open,
            fl.fulfilment.currency,
            fl.amount_open_mad,  # at the order's recorded rate, so that columns add up
            round_line.round.name if round_line else "",
        ]
