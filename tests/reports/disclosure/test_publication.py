"""Where the withheld figures reach readers: the dashboard with its legend, every download,
the command's output and the indicator workbook; and how an administrator reads the exact
values, audited. On the seven-person registry of tests/reports/conftest.py, at k = 5."""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from audit.services import COMMAND_LINE
from registry.models import ReportSnapshot
from registry.reports import charts
from registry.reports.disclosure.publish import DISCLOSURE_KEY, report_withheld
from registry.reports.filters import ReportFilters
from registry.reports.selectors import report_build
from tests.factories import UserFactory

WITHHELD_CELL = '<td class="num withheld " title="Cifra reservada'


def analyst():  # type: ignore[no-untyped-def]
    user = UserFactory(username="analyst")
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return user


def exact_events() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.EXACT_FIGURES))


def test_the_dashboard_marks_small_counts_and_states_why(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst())
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert WITHHELD_CELL in page
    # Mujer: 5 participations of 3 persons; the 3 identifies.
    assert "&lt; 5" in page
    assert 'id="disclosure-legend"' in page
    assert "supresión complementaria" in page
    assert "Ver valores exactos" not in page  # analysts never see them


def test_an_analyst_asking_for_exact_values_gets_the_withheld_ones(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst())
    page = client.get(reverse("reports:dashboard") + "?exactos=1").content.decode()
    assert WITHHELD_CELL in page
    assert exact_events() == []


def test_an_administrator_reads_exact_values_only_when_asking_and_it_is_audited(  # type: ignore[no-untyped-def]
    client, registry, role_user
) -> None:
    admin = role_user("admin")
    client.force_login(admin)
    page = client.get(reverse("reports:dashboard") + "?sex=F").content.decode()
    assert WITHHELD_CELL in page
    assert 'href="?sex=F&amp;exactos=1" id="see-exact"' in page
    assert exact_events() == []
    page = client.get(reverse("reports:dashboard") + "?sex=F&exactos=1").content.decode()
    assert WITHHELD_CELL not in page
    assert "Valores exactos." in page
    (event,) = exact_events()
    assert event.actor == admin
    assert event.details == {"where": "dashboard", "filters": {"sex": "F"}}


def test_downloads_carry_the_marks_and_say_what_they_withhold(client, registry, role_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst())
    body = client.get(reverse("reports:export", args=["by_sex", "csv"])).content.decode()
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    statement = dict(row[:2] for row in rows if row and row[0].startswith("#"))
    assert statement["# Protección de datos"].startswith("Reserva de cifras pequeñas")
    mujer = next(row for row in rows if row and row[0] == "Mujer")
    assert mujer[2] == "< 5"
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reports:export", args=["by_sex", "xlsx"])).content)
    )
    about = [row for row in workbook["Informe"].iter_rows(values_only=True)]
    assert any(row[0] == "Protección de datos" for row in about)
    workbook = load_workbook(io.BytesIO(client.get(reverse("reports:indicator_report")).content))
    method = [cell for row in workbook["Método"].iter_rows(values_only=True) for cell in row]
    assert any(str(cell).startswith("Reserva de cifras pequeñas") for cell in method if cell)
    assert exact_events() == []
    # An administrator's exact download is audited, with the table it was.
    client.force_login(role_user("admin"))
    body = client.get(
        reverse("reports:export", args=["by_sex", "csv"]) + "?exactos=1"
    ).content.decode()
    assert "< 5" not in body
    assert "Valores exactos" in body
    assert [e.details["where"] for e in exact_events()] == ["export:by_sex"]


def test_the_command_withholds_unless_asked_and_audits_when_asked(registry) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("coverage_report", stdout=out)
    report = json.loads(out.getvalue())
    assert report[DISCLOSURE_KEY]["k"] == 5
    mujer = next(row for row in report["by_sex"] if row["label"] == "Mujer")
    assert mujer["unique_persons"] == "< 5"
    assert exact_events() == []
    out = io.StringIO()
    call_command("coverage_report", "--exactos", stdout=out)
    report = json.loads(out.getvalue())
    assert DISCLOSURE_KEY not in report
    assert next(r for r in report["by_sex"] if r["label"] == "Mujer")["unique_persons"] == 3
    (event,) = exact_events()
    assert event.actor_username == COMMAND_LINE


def test_means_from_fewer_than_k_and_shares_of_withheld_counts_are_not_shown(registry) -> None:  # type: ignore[no-untyped-def]
    published = report_withheld(report_build(filters=ReportFilters()), filters=ReportFilters())
    course_b = next(r for r in published["pre_post"]["by_course"] if r["label"] == "Curso B")
    assert course_b["with_both"] == "< 5"
    assert course_b["mean_post_pct"] == "x"  # one post-test score: its owner's own
    assert course_b["knowledge_increase_pct"] == "x"
    assert course_b["paired_coverage_pct"] == "x"


def test_a_sensitive_course_uses_the_higher_threshold(registry) -> None:  # type: ignore[no-untyped-def]
    registry.course_b.sensitive = True
    registry.course_b.save()
    published = report_withheld(report_build(filters=ReportFilters()), filters=ReportFilters())
    course_b = next(r for r in published["by_course"] if r["label"] == "Curso B")
    assert course_b["unique_persons"] == "< 10"
    assert published[DISCLOSURE_KEY]["sensitive_k"] == 10


def test_the_snapshot_keeps_the_published_report_beside_the_exact_one(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst())
    client.get(reverse("reports:dashboard"))
    snapshot = ReportSnapshot.objects.get(key="")
    assert DISCLOSURE_KEY in json.loads(snapshot.published_json)
    assert DISCLOSURE_KEY not in json.loads(snapshot.report_json)


def test_a_chart_draws_no_bar_for_a_withheld_figure() -> None:
    chart = charts.bar_chart(
        [
            {"label": "Cusco", "unique_persons": 12, "participations": 20},
            {"label": "Madre de Dios", "unique_persons": "< 5", "participations": "x"},
        ],
        title="Personas",
        value="unique_persons",
        background="participations",
    )
    assert "Cusco" in chart
    assert "Madre de Dios" not in chart
