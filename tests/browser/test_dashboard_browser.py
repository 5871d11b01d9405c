"""The dashboard with the demo data, as an analyst sees it in a real browser."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission

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


def test_analyst_sees_charts_and_tables_with_the_demo_data(
    page: Any, sign_in: Any, live_server: Any, demo_registry: Any, tmp_path: Path
) -> None:
    demo_registry(persons=300)
    analyst = UserFactory(username="analista")
    analyst.user_permissions.add(Permission.objects.get(codename="view_reports"))

    sign_in(page, "analista", PASSWORD)

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
