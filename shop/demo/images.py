"""Product and producer pictures drawn with Pillow at load time (nothing is downloaded)."""

import hashlib
import io
import math
import textwrap
import unicodedata

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont


def _font(size: int):
    return ImageFont.load_default(size=size)


def product_picture(*, title: str, colour: str, size: int = 480) -> ContentFile:
    """A square label-like picture: the product type's colour, a motif and the title."""
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    seed = int(hashlib.sha1(title.encode()).hexdigest(), 16)
    # A zellige-like star motif, shifted per product so each picture differs.
    cx, cy, r = size // 2, size // 3 + seed % 20, size // 5
    points = []
    for i in range(16):
        radius = r if i % 2 == 0 else r * 0.55
        angle = 3.14159 * 2 * i / 16 + (seed % 7) / 10
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill="#f7efe2", outline="#2b2118")
    draw.rectangle([20, size * 0.62, size - 20, size - 20], fill="#fffaf1", outline="#2b2118", width=3)
    # Pillow's bundled font has no accented glyphs: draw the title without accents.
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    lines = textwrap.wrap(plain, width=26)[:4]
    y = int(size * 0.65)
    for line in lines:
        draw.text((34, y), line, fill="#2b2118", font=_font(22))
        y += 30
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue())


def producer_logo(*, name: str, colour: str, size: int = 160) -> ContentFile:
    image = Image.new("RGB", (size, size), "#f7efe2")
    draw = ImageDraw.Draw(image)
    draw.ellipse([8, 8, size - 8, size - 8], fill=colour, outline="#2b2118", width=3)
    initials = "".join(word[0] for word in name.replace("Coopérative", "").split()[:2]).upper()
    draw.text((size // 2, size // 2), initials, fill="#ffffff", font=_font(56), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue())
