"""Inline SVG bar charts drawn on the server: they need no script and no internet access.

Each chart has a <title> and <desc> for screen readers, and every bar carries its value as
text, so the chart reads without colour and the table beside it holds the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 230
VALUE_WIDTH = 120
ROW_HEIGHT = 22
BAR_HEIGHT = 16
TOP = 26
MAX_LABEL = 34


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}".replace(",", " ")
    return f"{int(value):,}".replace(",", " ")


def bar_chart(
    rows: Sequence[dict[str, Any]],
    *,
    title: str,
    value: str,
    label: str = "label",
    background: str | None = None,
    legend: tuple[str, str] | None = None,
    unit: str = "",
    limit: int = 12,
) -> SafeString:
    """Horizontal bars of `value` per `label`.

    With `background`, a lighter bar of that key sits behind each bar: used to show
    participations behind unique persons, so the gap is the double counting.
    """
    shown = [r for r in rows if r.get(value) is not None][:limit]
    if not shown:
        return mark_safe('<p class="muted chart-empty">Sin datos para este gráfico.</p>')
    keys = [value] + ([background] if background else [])
    top = max(float(r.get(k) or 0) for r in shown for k in keys) or 1.0
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + ROW_HEIGHT * len(shown) + 6
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        "<desc>"
        + escape(
            "; ".join(
                f"{r[label]}: {_number(r[value])}{unit}"
                + (f" ({_number(r[background] or 0)}{unit})" if background else "")
                for r in shown
            )
        )
        + "</desc>",
    ]
    if legend:
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="4" width="12" height="12" class="bar" />'
            f'<text x="{LABEL_WIDTH + 16}" y="14" class="legend">{escape(legend[0])}</text>'
        )
        if background:
            parts.append(
                f'<rect x="{LABEL_WIDTH + 180}" y="4" width="12" height="12" class="bar-bg" />'
                f'<text x="{LABEL_WIDTH + 196}" y="14" class="legend">{escape(legend[1])}</text>'
            )
    for index, row in enumerate(shown):
        y = TOP + index * ROW_HEIGHT
        text_y = y + BAR_HEIGHT - 4
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" class="label">'
            f"<title>{escape(row[label])}</title>{escape(_short(str(row[label])))}</text>"
        )
        end = float(row[value])
        if background:
            back = float(row.get(background) or 0)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" height="{BAR_HEIGHT}" '
                f'width="{bar_space * back / top:.1f}" class="bar-bg" />'
            )
            end = max(end, back)
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" height="{BAR_HEIGHT}" '
            f'width="{bar_space * float(row[value]) / top:.1f}" class="bar" />'
        )
        shown_value = _number(row[value]) + unit
        if background:
            shown_value += f" / {_number(row.get(background) or 0)}{unit}"
        parts.append(
            f'<text x="{LABEL_WIDTH + bar_space * end / top + 4:.1f}" y="{text_y}" '
            f'class="value">{escape(shown_value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
