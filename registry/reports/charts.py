"""Inline SVG bar charts drawn on the server: they need no script and no internet access.

Each chart has a <title> and <desc> for screen readers, and every bar carries its value as
text, so the chart reads without colour and the table beside it holds the same numbers.

The charts take the width of their card without a viewBox: a viewBox scales text with the
drawing, so a 12 px label would shrink to 7 px on a phone. Instead the geometry across is in
percentages of the chart's width (bars start at 0 and end at their share of 100%) and the
text stays at the size the stylesheet gives it (13 px, reports.css). Each label sits on its own
line(s) above its bar, wrapped rather than cut, with its value at the right end of the line.
No style attributes or scripts: a Content-Security-Policy without 'unsafe-inline' allows them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from formats.numbers import number_shown

LINE = 17  # px between label lines (13 px text, reports.css)
BASELINE = 13  # px from a line's top to its text's baseline
BAR_HEIGHT = 14
MARK_OVERHANG = 3  # px a reference mark reaches above and below its bar
ROW_GAP = 12
LEGEND = 24
# Characters per label line: on a 390 px phone the chart is about 330 px wide, and a line of
# 30 characters leaves room for the value ("1,234 / 5,678") at the line's right end.
WRAP = 30
MAX_LINES = 4  # the longest course title (111 characters) fits; a longer one ends with "…"


def _lines(label: str, max_lines: int = MAX_LINES) -> list[str]:
    lines = textwrap.wrap(label, WRAP, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: WRAP - 1].rstrip() + "…"
    return lines


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _amount(value: Any) -> float:
    """A bar's length: a withheld figure ("< 5", "x") draws none."""
    return float(value) if _is_number(value) else 0.0


def _number(value: Any) -> str:
    if isinstance(value, str):
        return value  # a withheld figure's mark
    if isinstance(value, float):
        return number_shown(value, decimals=1)
    return number_shown(int(value))


def _pct(part: float, top: float) -> str:
    return f"{100 * part / top:.2f}%"


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
    reference: str | None = None,
    reference_label: str = "",
    max_lines: int = MAX_LINES,
) -> SafeString:
    """Horizontal bars of `value` per `label`.

    With `background`, a lighter bar of that key sits behind each bar: used to show
    participations behind unique persons, so the gap is the double counting. With
    `reference`, a mark across each row's bar where that figure ends, named `reference_label`
    in the legend, its value third in the row's text and in its tooltip: a figure to compare
    with (the project's reported one), which may be larger or smaller than the bars. A row
    without a reference value has no mark. `max_lines` cuts long labels shorter (the full
    label stays as the tooltip).

    Percentages are drawn on a 0-100 % axis: a bar's length is its share of the whole, not of
    the largest row, so 40 % never looks full. A value above 100 % widens the axis to it.
    """
    # A withheld figure has no bar: its row is left out of the chart (the table marks it).
    shown = [r for r in rows if _is_number(r.get(value))][:limit]
    if not shown:
        return mark_safe('<p class="muted chart-empty">Sin datos para este gráfico.</p>')
    keys = [value] + ([background] if background else []) + ([reference] if reference else [])
    top = max(_amount(r.get(k)) for r in shown for k in keys) or 1.0
    if unit == "%":
        top = max(top, 100.0)

    def reference_value(row: dict[str, Any]) -> str:
        return f"{reference_label}: {_number(row[reference])}{unit}" if reference else ""

    def has_reference(row: dict[str, Any]) -> bool:
        return reference is not None and _is_number(row.get(reference))

    def shown_value(row: dict[str, Any]) -> str:
        text = _number(row[value]) + unit
        if background:
            text += f" / {_number(row.get(background) or 0)}{unit}"
        if reference and has_reference(row):
            # Third, after the bars' figures; the legend says what it is.
            text += f" · {_number(row[reference])}{unit}"
        return text

    body: list[str] = []
    y = 0
    if legend:
        body.append(
            '<rect x="0" y="3" width="12" height="12" class="bar" />'
            f'<text x="18" y="{BASELINE}" class="legend">{escape(legend[0])}</text>'
        )
        if background:
            body.append(
                '<rect x="150" y="3" width="12" height="12" class="bar-bg" />'
                f'<text x="168" y="{BASELINE}" class="legend">{escape(legend[1])}</text>'
            )
        y = LEGEND
    if reference:
        # On a line of its own: beside the other two it would not fit a phone's width.
        body.append(
            f'<line x1="6" x2="6" y1="{y + 1}" y2="{y + 17}" class="bar-ref" />'
            f'<text x="18" y="{y + BASELINE}" class="legend">{escape(reference_label)}</text>'
        )
        y += LEGEND
    for row in shown:
        full = str(row[label])
        lines = _lines(full, max_lines)
        spans = "".join(
            f'<tspan x="0" dy="{LINE if n else 0}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        body.append(
            f'<text x="0" y="{y + BASELINE}" class="label"><title>{escape(full)}</title>'
            f"{spans}</text>"
            f'<text x="100%" y="{y + BASELINE}" text-anchor="end" class="value">'
            f"{escape(shown_value(row))}</text>"
        )
        bar_y = y + LINE * len(lines) + 2
        if background:
            back = _amount(row.get(background))
            body.append(
                f'<rect x="0" y="{bar_y}" height="{BAR_HEIGHT}" width="{_pct(back, top)}" '
                'class="bar-bg" />'
            )
        body.append(
            f'<rect x="0" y="{bar_y}" height="{BAR_HEIGHT}" '
            f'width="{_pct(float(row[value]), top)}" class="bar" />'
        )
        if reference and has_reference(row):
            # A mark across the bar where the reference ends: it costs no height, and a bar
            # shorter or longer than the mark reads at a glance as below or above it.
            at = _pct(_amount(row[reference]), top)
            body.append(
                f'<line x1="{at}" x2="{at}" y1="{bar_y - MARK_OVERHANG}" '
                f'y2="{bar_y + BAR_HEIGHT + MARK_OVERHANG}" class="bar-ref">'
                f"<title>{escape(reference_value(row))}</title></line>"
            )
        y = bar_y + BAR_HEIGHT + ROW_GAP

    def described(row: dict[str, Any]) -> str:
        text = f"{row[label]}: {_number(row[value])}{unit}"
        if background:
            text += f" / {_number(row.get(background) or 0)}{unit}"
        if has_reference(row):
            text += f" ({reference_value(row)})"
        return text

    description = "; ".join(described(row) for row in shown)
    parts = [
        f'<svg class="chart" role="img" width="100%" height="{y}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>",
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
