"""A server-rendered SVG bar chart: no JavaScript, no CDN, prints and works offline."""

from collections.abc import Callable

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

LABEL_WIDTH = 260
BAR_AREA = 440
VALUE_WIDTH = 70
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 30


def percent_label(value: float | None) -> str:
    """A share 0–1 as a Dutch percentage ("42,7%"); "–" when unknown."""
    return "–" if value is None else f"{value * 100:.1f}%".replace(".", ",")


def bar_chart(
    rows: list[tuple[str, int | float | None]],
    *,
    title: str,
    scale_to: float | None = None,
    value_label: Callable[[object], str] = str,
    empty: str | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value); labels and title are escaped.

    `scale_to` fixes the value of a full bar (1 for shares: 50% is always half a bar); by default
    the largest value fills it. `value_label` formats the value printed after the bar (e.g.
    `percent_label`); a None value draws no bar and prints its label ("–"). `empty` is the text
    when there are no rows."""
    width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(rows), 1) + 10
    top_value = scale_to or max((value or 0 for _label, value in rows), default=0) or 1
    bars = []
    for index, (label, raw) in enumerate(rows):
        value = value_label(raw)
        y = TOP + index * ROW_HEIGHT
        bar = max(0, min(BAR_AREA, round(BAR_AREA * (raw or 0) / top_value)))
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
            empty or _("Geen bezoeken in deze periode."),
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
