"""A server-rendered SVG bar chart: no JavaScript, no CDN, prints and works offline."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

LABEL_WIDTH = 260
BAR_AREA = 440
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 30


def bar_chart(rows: list[tuple[str, int]], *, title: str) -> SafeString:
    """Horizontal bars, one per (label, value); labels and title are escaped."""
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 10
    top_value = max((value for _label, value in rows), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        bar = round(BAR_AREA * value / top_value)
        short = label if len(label) <= 34 else label[:33] + "…"
        bars.append(
            (
                LABEL_WIDTH - 8,
                y + BAR_HEIGHT - 4,
                short,
                LABEL_WIDTH,
                y,
                bar,
                BAR_HEIGHT,
                label,
                value,
                LABEL_WIDTH + bar + 6,
                y + BAR_HEIGHT - 4,
                value,
            )
        )
    body = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar">'
        "<title>{}: {}</title></rect>"
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        bars,
    )
    if not rows:
        body = format_html(
            '<text x="{}" y="{}" class="chart-label">{}</text>',
            16,
            TOP + 18,
            _("Geen bezoeken in deze periode."),
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-label="{}">'
        '<text x="0" y="18" class="chart-title">{}</text>{}</svg>',
        width,
        height,
        title,
        title,
        body,
    )
