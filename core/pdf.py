"""PDF helpers: the plain A4 table every statement, purchase order and export uses."""

import io
import itertools

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

# Page streams are zlib-compressed only: the ASCII85 layer reportlab adds on top (for 7-bit channels)
# made the files 20 % larger and took a quarter of the time of a long table; HTTP and MIME are binary-safe.
rl_config.useA85 = 0


def table_pdf(*, title: str, subtitle_lines: list[str], header: list[str], rows: list[list], widths) -> bytes:
    """A plain A4 table: a title, a few lines under it, then the rows, paging as needed.

    A round's purchase order runs to hundreds of rows. Instead of one text object per cell
    (drawString), each page is one text object whose cells are placed with a text matrix, and each
    distinct cell text is encoded once (titles, units and prices repeat): several times faster for the
    same page content. It uses two internals of reportlab's text object (`_formatText`, `_code`),
    pinned in requirements.lock; the tests read every table back.
    """
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    __, height = A4
    top, bottom, left = height - 20 * mm, 20 * mm, 15 * mm

    def spans(lefts, widths, size):
        """Each column's x, as the text matrix wants it, and how many characters fit in it."""
        return [(f"{x:.2f}", int(width / (size * 0.5))) for x, width in zip(lefts, widths, strict=False)]

    columns = spans(itertools.accumulate(widths, initial=left), widths, 9)
    full_width = spans([left], [sum(widths)], 10)
    encoded: dict[tuple, str] = {}
    y = top
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(left, y, title)
    y -= 8 * mm
    text, font_set = pdf.beginText(), None

    def row(cells, *, font="Helvetica", size=9, spans=columns):
        nonlocal text, font_set, y
        if y < bottom:
            pdf.drawText(text)
            pdf.showPage()
            text, font_set, y = pdf.beginText(), None, top
        if font_set != (font, size):
            text.setFont(font, size)
            font_set = (font, size)
        at_y = f"{y:.2f} Tm"
        for cell, (x, fits) in zip(cells, spans, strict=False):
            key = (font, size, str(cell)[:fits])
            if key not in encoded:
                encoded[key] = text._formatText(key[2])
            text._code.append(f"1 0 0 1 {x} {at_y} {encoded[key]}")
        y -= 5 * mm

    for line in subtitle_lines:
        row([line], size=10, spans=full_width)
    y -= 3 * mm
    row(header, font="Helvetica-Bold")
    for cells in rows:
        row(cells)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
