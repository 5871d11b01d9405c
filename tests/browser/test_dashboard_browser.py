"""The dashboard with the demo data, as an analyst sees it in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback puts back the reference data
    # (loaded by a migration) that the flush after a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _number(text: str) -> float:
    """A figure as es-PE writes it: "1,234.5"."""
    digits = re.sub(r"[^\d.]", "", text)
    return float(digits) if digits else 0.0


def _demo_with_analyst(page: Any, sign_in: Any, demo_registry: Any) -> None:
    """The demo registry of 300 persons, and an analyst signed in to it."""
    demo_registry(persons=300)
    analyst = UserFactory(username="analista")
    analyst.user_permissions.add(Permission.objects.get(codename="view_reports"))
    sign_in(page, "analista", PASSWORD)


def test_analyst_sees_charts_and_tables_with_the_demo_data(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any, tmp_path: Path
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)

    assert page.url == f"{live_server.url}/reports/"
    assert page.locator("h1").inner_text() == "Informes de cobertura y aprendizaje"
    assert _number(page.locator("#kpi-unique .kpi").inner_text()) > 0
    assert _number(page.locator("#kpi-participations .kpi").inner_text()) > 0
    charts = page.locator("svg.chart")
    assert charts.count() >= 12
    # The charts have drawn bars with a visible size, not just empty SVG boxes.
    box = page.locator("#by_sex svg.chart rect.bar").nth(1).bounding_box()
    assert box is not None
    assert box["width"] > 0
    sex_rows = page.locator("#by_sex tbody tr")
    assert sex_rows.count() >= 2
    assert _number(sex_rows.first.locator("td").nth(1).inner_text()) > 0
    assert page.locator("#pre_post_by_course tbody tr").count() > 0
    assert page.locator("#indicators tbody tr").count() > 0
    # Stylesheets load from the server itself: the page works with no internet access.
    assert page.evaluate("document.styleSheets.length") >= 2
    screenshot = tmp_path / "dashboard.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000


def test_filter_form_narrows_the_figures(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any
) -> None:
    demo_registry(persons=120)
    UserFactory(username="jefa", is_staff=True, is_superuser=True)
    sign_in(page, "jefa", PASSWORD)
    page.goto(f"{live_server.url}/reports/")  # an administrator lands on the review queue
    total = _number(page.locator("#kpi-participations .kpi").inner_text())
    page.select_option("select[name=component]", "prevention")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "component=prevention" in page.url
    filtered = _number(page.locator("#kpi-participations .kpi").inner_text())
    assert 0 < filtered < total


def test_year_and_sex_lists_narrow_the_figures_and_name_the_download(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)
    total = _number(page.locator("#kpi-participations .kpi").inner_text())
    years = page.locator("select[name=year] option").all_inner_texts()
    assert years[0] == "Todos"
    assert all(re.fullmatch(r"\d{4}", year) for year in years[1:])
    assert len(years) > 1
    sexes = page.locator("select[name=sex] option").all_inner_texts()
    assert sexes[:3] == ["Todos", "Mujer", "Hombre"]
    year = years[1]
    page.select_option("select[name=year]", year)
    page.select_option("select[name=sex]", "F")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert f"year={year}" in page.url
    assert "sex=F" in page.url
    assert page.locator("select[name=year]").input_value() == year
    assert page.locator("select[name=sex]").input_value() == "F"
    filtered = _number(page.locator("#kpi-participations .kpi").inner_text())
    assert 0 < filtered < total
    computed = page.locator("#computed-at").inner_text()
    assert re.search(r"Cifras calculadas el \d\d/\d\d/\d{4} \d\d:\d\d;", computed)
    page.click(".tabs a[href='#quienes']")
    with page.expect_download() as download:
        page.click("#by_sex .downloads a:text('CSV')")
    name = download.value.suggested_filename
    assert name.startswith(f"informe-por-sexo-{year}-mujeres-")
    assert name.endswith(".csv")


def test_indicator_table_puts_reported_and_registry_figures_side_by_side(
    page: Any, sign_in: Any, demo_registry: Any, tmp_path: Path
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)

    table = page.locator("#indicators table")
    headers = table.locator("thead th").all_inner_texts()
    side_by_side = [
        "Participaciones reportadas (jul. 2024)",
        "Participaciones en el registro",
        "Personas únicas en el registro",
        "Participaciones por persona",
    ]
    start = headers.index(side_by_side[0])
    assert headers[start : start + 4] == side_by_side
    column = {header: n for n, header in enumerate(headers)}

    def row(code: str) -> list[str]:
        first = page.locator("td:first-child", has_text=re.compile(rf"^{re.escape(code)}$"))
        found = table.locator("tbody tr").filter(has=first)
        assert found.count() == 1
        return found.first.locator("td").all_inner_texts()

    prosecutors = row("1.2.1.2")  # prosecutors and public defenders in learning sessions
    assert _number(prosecutors[column[side_by_side[0]]]) == 1885
    participations = _number(prosecutors[column["Participaciones en el registro"]])
    persons = _number(prosecutors[column["Personas únicas en el registro"]])
    assert 0 < persons <= participations
    factor = _number(prosecutors[column["Participaciones por persona"]])
    assert factor == round(participations / persons, 2)
    assert _number(row("Total")[column[side_by_side[0]]]) == 15468
    # The workshops were reported apart: no course counts toward them.
    assert row("1.3.1.4")[column["Participaciones en el registro"]] == "—"
    knowledge = page.locator("#indicators_knowledge tbody tr")
    assert knowledge.count() == 8
    assert page.locator("#indicators_survey tbody tr").count() == 2

    page.click(".tabs a[href='#indicadores']")
    with page.expect_download() as download:
        page.click("#indicator-report-download a")
    assert download.value.suggested_filename.startswith("informe-indicadores-")
    saved = tmp_path / "informe.xlsx"
    download.value.save_as(saved)
    assert load_workbook(saved).sheetnames[:2] == ["Método", "Producto"]


# What each chart's text may be at the least, in CSS pixels, as the browser draws it.
MIN_TEXT_PX = 12


def _chart_geometry(page: Any) -> list[dict[str, Any]]:
    """For each visible chart: its width, its box's width, its smallest text and whether any
    text runs past the chart's right edge."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')]
        .filter(svg => svg.getBoundingClientRect().width > 0)
        .map(svg => {
          const box = svg.getBoundingClientRect();
          const texts = [...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect());
          // A viewBox scales the text with the drawing; without one, 1 unit is 1 px.
          const viewBox = svg.viewBox.baseVal;
          const scale = viewBox && viewBox.width ? box.width / viewBox.width : 1;
          const sizes = [...svg.querySelectorAll('text')].map(
            t => parseFloat(getComputedStyle(t).fontSize) * scale);
          return {
            id: svg.closest('section').id,
            width: box.width,
            figure: svg.parentElement.getBoundingClientRect().width,
            smallest: Math.min(...sizes),
            overflow: texts.some(r => r.right > box.right + 1 || r.left < box.left - 1),
          };
        })"""
    )


@pytest.mark.parametrize("width", [1300, 390])
def test_charts_fill_their_cards_with_legible_uncut_labels(
    browser: Any, live_server: Any, sign_in: Any, demo_registry: Any, width: int, tmp_path: Path
) -> None:
    demo_registry(persons=300)
    UserFactory(username="analista").user_permissions.add(
        Permission.objects.get(codename="view_reports")
    )
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="es-PE")
    page = context.new_page()
    sign_in(page, "analista", PASSWORD)
    for tab in ("quienes", "cursos", "cuantas-veces", "aprendieron", "completitud"):
        page.goto(f"{live_server.url}/reports/#{tab}")
        charts = _chart_geometry(page)
        assert charts, tab
        for chart in charts:
            assert chart["width"] >= chart["figure"] - 1, chart
            assert chart["smallest"] >= MIN_TEXT_PX, chart
            assert not chart["overflow"], chart
        page.screenshot(path=str(tmp_path / f"{tab}-{width}.png"), full_page=True)
    # The course names are whole on the page (wrapped), the full name also as a tooltip.
    page.goto(f"{live_server.url}/reports/#cursos")
    label = page.locator("#by_course svg.chart text.label").first
    full = label.locator("title").text_content()
    drawn = " ".join(label.locator("tspan").all_text_contents())
    assert drawn == full
    context.close()


def test_tabs_show_one_question_at_a_time_without_scripts(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)
    panels = ("quienes", "cursos", "cuantas-veces", "aprendieron", "indicadores", "completitud")
    assert page.locator("script").count() == 0
    # With no tab chosen, the first question shows.
    assert [page.locator(f"#{name}").is_visible() for name in panels] == [True] + [False] * 5
    heights = []
    for name in panels:
        page.click(f".tabs a[href='#{name}']")
        assert page.url.endswith(f"#{name}")
        assert [page.locator(f"#{other}").is_visible() for other in panels] == [
            other == name for other in panels
        ]
        # The tab bar stays on screen over the panel it opened.
        assert page.locator(".tabs").is_visible()
        heights.append(page.evaluate("document.documentElement.scrollHeight"))
    # The page was 15,000 px and more of tables; each question is now a fraction of that.
    assert max(heights) < 9000, heights
    # A link to a table inside a panel opens that panel.
    page.goto(f"{live_server.url}/reports/#by_course")
    assert page.locator("#by_course").is_visible()
    assert not page.locator("#quienes").is_visible()


def test_an_invalid_filter_is_shown_beside_its_field(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)
    page.fill("input[name=date_from]", "2024-06-01")
    page.fill("input[name=date_to]", "2024-01-31")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    error = page.locator("#error-date_to")
    assert error.is_visible()
    assert error.inner_text() == "La fecha «Hasta» (31/01/2024) es anterior a «Desde» (01/06/2024)."
    field = page.locator("input[name=date_to]").bounding_box()
    message = error.bounding_box()
    assert field is not None
    assert message is not None
    # Right under its field, not somewhere on the page.
    assert 0 <= message["y"] - (field["y"] + field["height"]) < 20
    assert abs(message["x"] - field["x"]) < 5
    assert page.locator("input[name=date_to]").get_attribute("aria-invalid") == "true"
    # No figures: not the whole registry passing for the filtered one.
    assert page.locator("#kpi-unique").count() == 0
    assert page.locator("svg.chart").count() == 0
    assert "no se calculó ninguna cifra" in page.locator("#filter-errors").inner_text()


def test_small_counts_are_withheld_with_their_legend(
    page: Any, browser: Any, sign_in: Any, live_server: Any, demo_registry: Any, tmp_path: Path
) -> None:
    _demo_with_analyst(page, sign_in, demo_registry)
    legend = page.locator("#disclosure-legend")
    assert legend.is_visible()
    assert "«< 5»: entre 1 y 4 personas o participaciones" in legend.inner_text()
    assert "«x»: cifra reservada" in legend.inner_text()
    # Withheld rows come last, after the 15 a table shows: the indicator tables show all.
    page.click("a[href='#indicadores']")
    withheld = page.locator("#indicadores td.withheld")
    assert withheld.count() > 0
    assert withheld.first.inner_text() in {"< 5", "< 10", "x"}
    assert withheld.first.get_attribute("title").startswith("Cifra reservada")
    # Shown in grey italics, not as a figure.
    assert withheld.first.evaluate("e => getComputedStyle(e).fontStyle") == "italic"
    page.locator("#indicadores").screenshot(path=str(tmp_path / "withheld.png"))
    assert page.locator("#see-exact").count() == 0  # not for analysts

    # An administrator, in a browser of her own.
    UserFactory(username="jefa", is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="es-PE")
    admin = context.new_page()
    sign_in(admin, "jefa", PASSWORD)
    admin.goto(f"{live_server.url}/reports/")
    assert admin.locator("td.withheld").count() > 0
    admin.click("#see-exact")
    admin.wait_for_load_state()
    assert "Valores exactos." in admin.locator("#disclosure").inner_text()
    assert admin.locator("td.withheld").count() == 0
    assert AuditEvent.objects.filter(action=AuditAction.EXACT_FIGURES).count() == 1
    context.close()
