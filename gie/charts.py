"""A line chart as inline SVG, drawn on the server so the page needs no script and no CDN."""

from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

COLOURS = ["#8c510a", "#01665e", "#c51b7d", "#4d9221", "#2166ac", "#b2182b", "#762a83", "#e08214"]
WIDTH, HEIGHT, PAD = 640, 240, 40


def weekly_sales_svg(*, weeks: list, series: dict[str, list[Decimal]]) -> str:
    peak = max((v for values in series.values() for v in values), default=Decimal("0")) or Decimal("1")
    step = (WIDTH - 2 * PAD) / max(len(weeks) - 1, 1)

    def point(index: int, value: Decimal) -> str:
        x = PAD + index * step
        y = HEIGHT - PAD - float(value / peak) * (HEIGHT - 2 * PAD)
        return f"{x:.1f},{y:.1f}"

    lines = format_html_join(
        "",
        '<polyline class="series" fill="none" stroke="{}" stroke-width="2" points="{}">'
        "<title>{}</title></polyline>",
        (
            (COLOURS[i % len(COLOURS)], " ".join(point(j, v) for j, v in enumerate(values)), name)
            for i, (name, values) in enumerate(series.items())
        ),
    )
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle">{}</text>',
        (
            (f"{PAD + j * step:.1f}", HEIGHT - PAD + 14, week.strftime("%d/%m"))
            for j, week in enumerate(weeks)
        ),
    )
    legend = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
        ((PAD + 160 * i, 14, COLOURS[i % len(COLOURS)], name) for i, name in enumerate(series)),
    )
    axis = format_html(
        '<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#999"/>'
        '<text x="4" y="{3}" font-size="10">{4} MAD</text>',
        PAD,
        HEIGHT - PAD,
        WIDTH - PAD,
        PAD,
        peak.quantize(Decimal("1")),
    )
    return mark_safe(  # noqa: S308 - every piece above went through format_html
        f'<svg class="weekly-sales" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" width="100%">{axis}{lines}{labels}{legend}</svg>'
    )
