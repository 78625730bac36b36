"""The packing slip put in the parcel: the cash to collect, where it goes and the customer's phone, the
lines, their lot codes and a QR code to each lot's trace page. Written in the reader's language, right
to left for a reader in Arabic."""

import io

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.pdf import FONT, FONT_BOLD, pdf_fonts_register, pdf_left_to_right, pdf_localize, pdf_text
from fulfilment.selectors import fulfilment_cash_to_collect, fulfilment_lines_with_lots

QR_SIZE = 22 * mm
MARGIN = 20 * mm


def lot_trace_url(*, base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/lot/{code}/"


def _qr_image(url: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=1)
    buffer.seek(0)
    return ImageReader(buffer)


def _phone(address) -> str:
    phone = getattr(address, "phone_number", None)
    if not phone:
        return ""
    return getattr(phone, "as_international", None) or str(phone)


def packing_slip_pdf(*, fulfilment, base_url: str) -> bytes:
    pdf_fonts_register()
    rtl = translation.get_language_bidi()
    order = fulfilment.order
    address = order.shipping_address
    lines = fulfilment_lines_with_lots(fulfilment=fulfilment)
    cash = fulfilment_cash_to_collect(fulfilment=fulfilment, lines=lines)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Packing slip %(number)s") % {"number": order.number})
    width, height = A4
    y = height - MARGIN

    def line(text: str, *, size: int = 10, indent: float = 0, gap: float = 5 * mm, bold: bool = False):
        nonlocal y
        if y < 30 * mm:
            pdf.showPage()
            y = height - MARGIN
        pdf.setFont(FONT_BOLD if bold else FONT, size)
        if rtl:
            pdf.drawRightString(width - MARGIN - indent, y, pdf_text(text))
        else:
            pdf.drawString(MARGIN + indent, y, pdf_text(text))
        y -= gap

    line(_("Packing slip — order %(number)s") % {"number": order.number}, size=16, gap=8 * mm, bold=True)
    line(_("Producer: %(name)s") % {"name": fulfilment.partner})
    line(_("Shipping: %(method)s") % {"method": fulfilment.shipping_method_name})
    if fulfilment.pickup_code:
        line(_("Pickup code: %(code)s") % {"code": pdf_left_to_right(fulfilment.pickup_code)})
    if cash is not None:
        y -= 2 * mm
        line(
            _("Cash to collect on delivery: %(amount)s %(currency)s")
            % {"amount": pdf_localize(cash), "currency": fulfilment.currency},
            size=13,
            gap=7 * mm,
            bold=True,
        )
    y -= 3 * mm
    line(_("Deliver to:"), size=12, bold=True)
    if address is not None:
        for part in [address.salutation, *address.active_address_fields()[1:]]:
            if part:
                line(str(part), indent=5 * mm)
        if phone := _phone(address):
            line(_("Phone: %(phone)s") % {"phone": pdf_left_to_right(phone)}, indent=5 * mm)
    y -= 3 * mm
    line(_("Lines"), size=12, bold=True)
    for fl in lines:
        line(f"{fl.quantity} × {fl.line.title}  ({pdf_left_to_right(fl.line.partner_sku)})")
        for allocation in fl.line.lot_allocations.all():
            if y < 40 * mm:
                pdf.showPage()
                y = height - MARGIN
            code = allocation.lot.code
            url = lot_trace_url(base_url=base_url, code=code)
            qr_x = MARGIN if rtl else width - MARGIN - QR_SIZE
            pdf.drawImage(_qr_image(url), qr_x, y - QR_SIZE + 4 * mm, QR_SIZE, QR_SIZE)
            lot = {"code": pdf_left_to_right(code), "qty": allocation.quantity}
            line(_("Lot %(code)s: %(qty)d unit(s)") % lot, indent=5 * mm)
            line(url, size=8, indent=5 * mm, gap=QR_SIZE - 2 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
