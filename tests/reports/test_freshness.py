"""One freshness mechanism: the triggers mark who changed, the writer's commit catches up,
and reading a report never writes (pending marks wait for a write or the command)."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrollment
from registry.models import ReportCell, ReportDirtyPerson, ReportFact
from registry.reports.cellset import report_cells
from registry.reports.filters import ReportFilters
from registry.reports.freshness import report_changes_pending
from registry.reports.selectors import report_build
from registry.reports.snapshots import report_snapshot_fetch
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _raw_write(person_id: int) -> None:
    """A data fix in SQL: no service, no ORM, no signal; only the triggers see it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE courses_enrollment SET institution_text = %s WHERE person_id = %s",
            ["Corregido a mano", person_id],
        )


def _stored() -> tuple[list[Any], list[Any]]:
    cells = list(ReportCell.objects.order_by("pk").values_list())
    facts = list(ReportFact.objects.order_by("pk").values_list())
    return cells, facts


def _participations() -> int:
    return int(report_cells(ReportFilters()).cell("total")["participations"])


def test_reading_a_report_writes_nothing(registry) -> None:  # type: ignore[no-untyped-def]
    _raw_write(registry.p1.pk)
    marks = list(ReportDirtyPerson.objects.values_list("pk", flat=True))
    assert marks
    stored = _stored()
    with CaptureQueriesContext(connection) as queries:
        report_build(filters=ReportFilters())
        report_build(filters=ReportFilters(course=registry.course_a.pk))
        report_cells(ReportFilters(region=registry.ra.pk))
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    assert writes == []
    # A combination no slice stores computes its cells in temporary tables, and a fetch
    # stores its snapshot (a cache); neither touches the marks, facts or cells.
    report_build(filters=ReportFilters(region=registry.ra.pk, course=registry.course_a.pk))
    report_snapshot_fetch(filters=ReportFilters())
    assert list(ReportDirtyPerson.objects.values_list("pk", flat=True)) == marks
    assert _stored() == stored


def test_an_orm_save_catches_up_once_it_commits(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    before = _participations()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        EnrollmentFactory(person=PersonFactory(), cohort=registry.k1)
        EnrollmentFactory(person=PersonFactory(), cohort=registry.k2)
    assert len(callbacks) == 1  # one catch-up for the whole transaction
    assert not report_changes_pending()
    assert _participations() == before + 2


def test_an_orm_delete_and_an_m2m_change_catch_up(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    before = _participations()
    with django_capture_on_commit_callbacks(execute=True):
        Enrollment.objects.get(person=registry.p4).delete()  # P4's only one, without scores
    assert (report_changes_pending(), _participations()) == (False, before - 1)
    with django_capture_on_commit_callbacks() as callbacks:
        registry.course_a.indicators.remove(registry.t1)
    # Before the commit: the triggers' marks, and one catch-up waiting for it.
    assert report_changes_pending()
    assert len(callbacks) == 1
    callbacks[0]()
    assert not report_changes_pending()


def test_loading_fixtures_is_not_a_change(registry, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    enrollment = Enrollment.objects.first()
    with django_capture_on_commit_callbacks() as callbacks:
        post_save.send(sender=Enrollment, instance=enrollment, created=False, raw=True)
    assert callbacks == []


def test_the_pending_command_applies_the_marks_of_a_raw_write(registry) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("report_cells_rebuild", "--pending", stdout=out)
    assert out.getvalue() == (
        "No había cambios pendientes: las cifras del informe ya estaban al día.\n"
    )
    _raw_write(registry.p1.pk)
    _raw_write(registry.p2.pk)
    unmapped = report_build(filters=ReportFilters(), sections=["completeness"])
    assert "Corregido a mano" not in str(unmapped)
    out = StringIO()
    call_command("report_cells_rebuild", "--pending", stdout=out)
    assert "2 personas puestas al día." in out.getvalue()
    assert not report_changes_pending()
    unmapped = report_build(filters=ReportFilters(), sections=["completeness"])
    assert "Corregido a mano" in str(unmapped)


def test_dashboard_says_when_changes_are_pending(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="analyst", is_superuser=True))
    notice = "Hay cambios recientes que aún no se reflejan en estas cifras"
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert notice not in page
    _raw_write(registry.p1.pk)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert notice in page
    assert "report_cells_rebuild --pending" in page
    call_command("report_cells_rebuild", "--pending", stdout=StringIO())
    assert notice not in client.get(reverse("reports:dashboard")).content.decode()
