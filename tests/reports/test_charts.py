from __future__ import annotations

from registry.reports.charts import bar_chart


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
