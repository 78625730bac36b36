"""The packing slip put in the parcel: lines, lot codes, a QR code to each lot's trace page."""

import io

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from core.languages import in_pdf_language
from fulfilment.selectors import fulfilment_lines_with_lots

QR_SIZE = 22 * mm


def lot_trace_url(*, base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/lot/{code}/"


def _qr_image(url: str) -> ImageReader:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=4, border=1)
    buffer.seek(0)
    return ImageReader(buffer)


@in_pdf_language
def packing_slip_pdf(*, fulfilment, base_url: str) -> bytes:
    order = fulfilment.order
    address = order.shipping_address
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(_("Packing slip %(number)s") % {"number": order.number})
    width, height = A4
    y = height - 20 * mm

    def line(text: str, *, size: int = 10, x: float = 20 * mm, gap: float = 5 * mm):
        nonlocal y
        if y < 30 * mm:
            pdf.showPage()
            y = height - 20 * mm
        pdf.setFont("Helvetica", size)
        pdf.drawString(x, y, text)
        y -= gap

    line(_("Packing slip — order %(number)s") % {"number": order.number}, size=16, gap=8 * mm)
    line(_("Producer: %(name)s") % {"name": fulfilment.partner})
    line(_("Shipping: %(method)s") % {"method": fulfilment.shipping_method_name})
    if fulfilment.pickup_code:
        line(_("Pickup code: %(code)s") % {"code": fulfilment.pickup_code})
    y -= 3 * mm
    line(_("Deliver to:"), size=12)
    if address is not None:
        for part in [address.salutation, *address.active_address_fields()[1:], address.phone_number]:
            if part:
                line(str(part), x=25 * mm)
    y -= 3 * mm
    line(_("Lines"), size=12)
    for fl in fulfilment_lines_with_lots(fulfilment=fulfilment):
        line(f"{fl.quantity} × {fl.line.title}  ({fl.line.partner_sku})")
        for allocation in fl.line.lot_allocations.all():
            if y < 40 * mm:
                pdf.showPage()
                y = height - 20 * mm
            code = allocation.lot.code
            url = lot_trace_url(base_url=base_url, code=code)
            pdf.drawImage(_qr_image(url), width - 20 * mm - QR_SIZE, y - QR_SIZE + 4 * mm, QR_SIZE, QR_SIZE)
            line(_("Lot %(code)s: %(qty)d unit(s)") % {"code": code, "qty": allocation.quantity}, x=25 * mm)
            line(url, size=8, x=25 * mm, gap=QR_SIZE - 2 * mm)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
