"""PDF helpers: fonts with Arabic letters, text as the page draws it, and the plain A4 table every
statement, purchase order and export uses.

reportlab draws characters in the order it is given them and does not join Arabic letters, and its
Helvetica has no Arabic glyphs. So every text goes through `pdf_text`: localized (dates and decimals
as the reader's language writes them), Arabic letters replaced by their joined presentation forms
(arabic_reshaper), right-to-left runs put in visual order (python-bidi), drawn with DejaVu Sans,
which carries Latin, Arabic and the signs we print. The two TTF files ship in `core/fonts/`.
"""

import datetime
import functools
import io
import itertools
import re
from decimal import Decimal
from pathlib import Path

import arabic_reshaper
from bidi.algorithm import get_display
from django.utils import formats, timezone, translation
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Page streams are zlib-compressed only: the ASCII85 layer reportlab adds on top (for 7-bit channels)
# made the files 20 % larger and took a quarter of the time of a long table; HTTP and MIME are binary-safe.
rl_config.useA85 = 0

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"

# Letters of right-to-left scripts (Hebrew, Arabic and their presentation forms), and the right-to-left
# mark Django's Arabic date formats use: a text without any is drawn as it is.
_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u200f]")
# Direction marks and embeddings steer the reordering; the font has no glyph for them.
_DIRECTION_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))
_LEFT_TO_RIGHT_EMBEDDING, _POP_DIRECTION = "\u202a", "\u202c"
ELLIPSIS = "…"


@functools.cache
def pdf_fonts_register() -> None:
    """Registers DejaVu Sans (regular, bold) with reportlab once per process."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))


def pdf_localize(value) -> str:
    """A value as the active language writes it: 9,5 and 09/11/2026 in French, never ISO dates."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        return formats.number_format(value)
    return str(value)


def pdf_left_to_right(value) -> str:
    """Keeps a phone number, a code or an amount in reading order inside a right-to-left line
    (otherwise "+212 6 12…" comes out as "…12 6 212+")."""
    return f"{_LEFT_TO_RIGHT_EMBEDDING}{pdf_localize(value)}{_POP_DIRECTION}"


def pdf_text(value) -> str:
    """The characters to draw, left to right: localized, Arabic letters joined, right-to-left runs in
    visual order."""
    text = pdf_localize(value)
    if not _RIGHT_TO_LEFT.search(text):
        return text.translate(_DIRECTION_MARKS) if _LEFT_TO_RIGHT_EMBEDDING in text else text
    return get_display(arabic_reshaper.reshape(text)).translate(_DIRECTION_MARKS)


def pdf_fit(text: str, *, font: str, size: float, width: float) -> tuple[str, float]:
    """`text` (logical order) cut with an ellipsis so that, shaped, it fits `width`; (visual, width)."""
    visual = pdf_text(text)
    measured = pdfmetrics.stringWidth(visual, font, size)
    if measured <= width:
        return visual, measured
    low, high = 0, len(text)  # the longest prefix that fits, found by halving
    while low < high:
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(pdf_text(text[:middle].rstrip() + ELLIPSIS), font, size) <= width:
            low = middle
        else:
            high = middle - 1
    visual = pdf_text(text[:low].rstrip() + ELLIPSIS) if low else ""
    return visual, pdfmetrics.stringWidth(visual, font, size)


def table_pdf(
    *, title: str, subtitle_lines: list[str], header: list[str], rows: list[list], widths, size: float = 9
) -> bytes:
    """A plain A4 table: a title, a few lines under it, then the rows, paging as needed. For a reader in
    a right-to-left language the page is mirrored: first column on the right, text right-aligned.
    `widths` should add up to at most 180 mm; a cell longer than its column is cut with an ellipsis.

    A round's purchase order runs to hundreds of rows. Instead of one text object per cell
    (drawString), each page is one text object whose cells are placed with a text matrix, and each
    distinct cell text is shaped, fitted and encoded once (titles, units and prices repeat): several
    times faster for the same page content. It uses two internals of reportlab's text object
    (`_formatText`, `_code`, and `_curSubset`, the font subset a TrueType text last switched to),
    pinned in requirements.lock; the tests read every table back.
    """
    pdf_fonts_register()
    rtl = translation.get_language_bidi()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    page_width, height = A4
    top, bottom, margin = height - 20 * mm, 20 * mm, 15 * mm
    gap = 1.5 * mm  # between two columns, so that a long cell never runs into its neighbour

    def spans(starts, widths):
        """Each column's (start edge, width): from the left margin rightwards, or mirrored."""
        if rtl:
            return [(page_width - start, width) for start, width in zip(starts, widths, strict=False)]
        return list(zip(starts, widths, strict=False))

    columns = spans(itertools.accumulate(widths, initial=margin), widths)
    full_width = spans([margin], [sum(widths)])
    # {(font, size): {(column edge, width, cell type, cell text, font subset in force): (placement, PDF
    # code, font subset after)}}
    drawn: dict[tuple, dict[tuple, tuple[str, str, int]]] = {}
    y = top
    pdf.setFont(FONT_BOLD, 15)
    if rtl:
        pdf.drawRightString(page_width - margin, y, pdf_text(title))
    else:
        pdf.drawString(margin, y, pdf_text(title))
    y -= 8 * mm
    text, font_set = pdf.beginText(), None

    def cell_draw(cell, font, size, edge, width) -> tuple[str, str, int]:
        visual, drawn_width = pdf_fit(pdf_localize(cell), font=font, size=size, width=width - gap)
        code = text._formatText(visual) if visual else ""
        return f"1 0 0 1 {edge - drawn_width if rtl else edge:.2f} ", code, text._curSubset

    def row(cells, *, font=FONT, size=size, spans=columns):
        nonlocal text, font_set, y
        if y < bottom:
            pdf.drawText(text)
            pdf.showPage()
            text, font_set, y = pdf.beginText(), None, top
        if font_set != (font, size):
            text.setFont(font, size)
            font_set = (font, size)
        cache, append = drawn.setdefault(font_set, {}), text._code.append
        at_y = f"{y:.2f} Tm "
        # A TrueType text switches font subsets as it goes: an encoding is only valid from the subset
        # it was made in, so that subset is part of the key, and the one it ends in is carried on.
        subset = text._curSubset
        for cell, (edge, width) in zip(cells, spans, strict=False):
            key = (edge, width, cell.__class__, str(cell), subset)
            hit = cache.get(key)
            if hit is None:
                text._curSubset = subset
                hit = cache[key] = cell_draw(cell, font, size, edge, width)
            place, code, subset = hit
            if code:
                append(f"{place}{at_y}{code}")
        text._curSubset = subset
        y -= 5 * mm

    for line in subtitle_lines:
        row([line], size=10, spans=full_width)
    y -= 3 * mm
    row(header, font=FONT_BOLD)
    for cells in rows:
        row(cells)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
