"""The dashboard with the demo data, as an analyst sees it in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from openpyxl import load_workbook

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery-staple"

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data; serialized_rollback puts back the reference data
    # (loaded by a migration) that the flush after a transactional test removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _number(text: str) -> float:
    digits = re.sub(r"[^\d.]", "", text.replace("\u202f", ""))
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
    total = _number(page.locator("#kpi-participations .kpi").inner_text())
    page.select_option("select[name=component]", "prevention")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "component=prevention" in page.url
    filtered = _number(page.locator("#kpi-participations .kpi").inner_text())
    assert 0 < filtered < total


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

    with page.expect_download() as download:
        page.click("#indicator-report-download a")
    assert download.value.suggested_filename.startswith("informe-indicadores-")
    saved = tmp_path / "informe.xlsx"
    download.value.save_as(saved)
    assert load_workbook(saved).sheetnames[:2] == ["Método", "Producto"]
