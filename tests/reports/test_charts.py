from __future__ import annotations

import re

from registry.reports.charts import MAX_LINES, WRAP, bar_chart


def test_chart_is_accessible_svg_with_text_values() -> None:
    rows = [
        {"label": "Mujer <F>", "unique_persons": 3, "participations": 5},
        {"label": "Hombre", "unique_persons": 2, "participations": 4},
    ]
    svg = str(
        bar_chart(
            rows,
            title="Por sexo",
            value="unique_persons",
            background="participations",
            legend=("a", "b"),
        )
    )
    assert svg.startswith("<svg")
    assert svg.endswith("</svg>")
    assert "<title>Por sexo</title>" in svg
    assert "Mujer &lt;F&gt;" in svg  # labels are escaped
    assert ">3 / 5</text>" in svg
    assert svg.count('class="bar"') == 3  # two bars and the legend swatch


def test_empty_chart_says_so() -> None:
    assert "Sin datos" in str(bar_chart([], title="x", value="v"))


def test_chart_takes_its_card_width_and_keeps_its_text_size() -> None:
    rows = [{"label": "A", "v": 30}, {"label": "B", "v": 15}]
    svg = str(bar_chart(rows, title="t", value="v"))
    head = svg.split(">", 1)[0]
    assert 'width="100%"' in head
    # No viewBox: it would shrink the 13 px text with the drawing on a phone.
    assert "viewBox" not in head
    # Bars are shares of the chart's width: the longest is all of it, the other half.
    assert 'width="100.00%" class="bar"' in svg
    assert 'width="50.00%" class="bar"' in svg
    # Nothing a Content-Security-Policy without 'unsafe-inline' would block.
    assert "style=" not in svg
    assert "<script" not in svg


def test_long_course_names_wrap_and_keep_the_full_name_as_a_tooltip() -> None:
    title = (
        "Sesiones de aprendizaje para jueces: interpretación y aplicación de la ley en casos "
        "de trata de personas"
    )
    svg = str(bar_chart([{"label": title, "v": 3}], title="Por curso", value="v"))
    assert f"<title>{title}</title>" in svg
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert 1 < len(lines) <= MAX_LINES
    assert all(len(line) <= WRAP for line in lines)
    # Every word is drawn: wrapped, not cut off.
    assert " ".join(lines) == title


def test_values_are_written_as_peru_writes_them() -> None:
    rows = [{"label": "Lima", "v": 12345, "w": 23456}, {"label": "Cusco", "v": 7.25, "w": 0.5}]
    svg = str(bar_chart(rows, title="t", value="v", background="w", unit="%"))
    assert ">12,345% / 23,456%</text>" in svg
    assert ">7.3% / 0.5%</text>" in svg


def test_percentages_are_drawn_on_a_0_to_100_axis() -> None:
    rows = [{"label": "A", "v": 40.0}, {"label": "B", "v": 20.0}]
    svg = str(bar_chart(rows, title="t", value="v", unit="%"))
    # 40 % is 40 % of the width, not the full width of the largest row.
    assert 'width="40.00%" class="bar"' in svg
    assert 'width="20.00%" class="bar"' in svg
    counts = str(bar_chart(rows, title="t", value="v"))
    assert 'width="100.00%" class="bar"' in counts
    # A value above 100 % widens the axis rather than overflowing it.
    over = str(
        bar_chart(
            [{"label": "A", "v": 150.0}, {"label": "B", "v": 75.0}], title="t", value="v", unit="%"
        )
    )
    assert 'width="100.00%" class="bar"' in over
    assert 'width="50.00%" class="bar"' in over


def test_a_reference_figure_gets_its_own_captioned_bar() -> None:
    rows = [
        {"label": "T-1 Uno", "v": 5, "r": 20},
        {"label": "T-2 Dos", "v": 10, "r": None},
    ]
    svg = str(bar_chart(rows, title="t", value="v", reference="r", reference_label="Reportado"))
    # The scale includes the reference: the largest figure is the reported 20.
    assert 'x1="100.00%" x2="100.00%"' in svg
    assert 'class="bar-ref"><title>Reportado: 20</title></line>' in svg
    assert 'width="25.00%" class="bar"' in svg
    assert 'class="legend">Reportado</text>' in svg
    assert ">5 · 20</text>" in svg
    assert ">10</text>" in svg
    # Only the row with a reported figure has a reference mark (and the legend its swatch).
    assert svg.count('class="bar-ref"') == 2
    assert "T-1 Uno: 5 (Reportado: 20); T-2 Dos: 10" in svg
