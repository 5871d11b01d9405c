"""Stored report snapshots: served until the data changes, then recomputed."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from participants.changes import counted_data_changed
from participants.models import Sex
from registry.models import ReportDirtyPerson, ReportSnapshot
from registry.reports.filters import ReportFilters
from registry.reports.freshness import report_data_version
from registry.reports.selectors import report_build
from registry.reports.snapshots import report_snapshot_fetch, report_snapshot_refresh
from review.merging import person_merge
from tests.factories import EnrollmentFactory, PersonFactory, UserFactory
from tests.roster_import.files import ROWS, csv_bytes


def _unique(filters: ReportFilters | None = None) -> int:
    return report_snapshot_fetch(filters=filters or ReportFilters()).report["unique_persons"]


def test_snapshot_holds_exactly_the_computed_report(registry) -> None:  # type: ignore[no-untyped-def]
    for filters in (ReportFilters(), ReportFilters(course=registry.course_b.pk)):
        first = report_snapshot_fetch(filters=filters)
        second = report_snapshot_fetch(filters=filters)
        assert not first.from_snapshot
        assert second.from_snapshot
        assert second.report == first.report == report_build(filters=filters)
    assert set(ReportSnapshot.objects.values_list("key", flat=True)) == {
        "",
        f"course={registry.course_b.pk}",
    }


def test_stored_report_is_served_without_recomputing(
    registry, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    report_snapshot_fetch(filters=ReportFilters())
    # The version and the snapshot: a read does not look for writes to catch up with.
    with django_assert_max_num_queries(2):
        assert report_snapshot_fetch(filters=ReportFilters()).from_snapshot


def test_a_save_behind_the_services_back_makes_the_snapshot_stale(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    assert _unique() == 6
    assert report_snapshot_fetch(filters=ReportFilters()).from_snapshot
    # No service: the ORM's save is what announces it, and its commit catches up.
    with django_capture_on_commit_callbacks(execute=True):
        EnrollmentFactory(person=PersonFactory(), cohort=registry.k1)
    assert not ReportDirtyPerson.objects.exists()
    fetched = report_snapshot_fetch(filters=ReportFilters())
    assert not fetched.from_snapshot
    assert fetched.report["unique_persons"] == 7


def test_a_raw_write_waits_for_the_pending_command_not_for_a_reader(registry) -> None:  # type: ignore[no-untyped-def]
    assert _unique() == 6
    with connection.cursor() as cursor:
        # No signal at all: only the database's triggers see it.
        cursor.execute(
            "UPDATE participants_person SET sex = %s WHERE id = %s",
            [Sex.MALE, registry.p1.pk],
        )
    # The read serves the figures it has and leaves the marks where they are.
    fetched = report_snapshot_fetch(filters=ReportFilters())
    assert fetched.from_snapshot
    assert ReportDirtyPerson.objects.filter(person_id=registry.p1.pk).exists()
    women = {row["label"]: row["unique_persons"] for row in fetched.report["by_sex"]}["Mujer"]
    out = StringIO()
    call_command("report_cells_rebuild", "--pending", stdout=out)
    assert "1 persona puesta al día." in out.getvalue()
    assert not ReportDirtyPerson.objects.exists()
    fetched = report_snapshot_fetch(filters=ReportFilters())
    assert not fetched.from_snapshot
    by_sex = {row["label"]: row["unique_persons"] for row in fetched.report["by_sex"]}
    assert by_sex["Mujer"] == women - 1


@pytest.mark.django_db(transaction=True)
def test_a_service_without_counted_writes_makes_the_snapshot_stale(registry) -> None:  # type: ignore[no-untyped-def]
    """A review decision changes only the "if reviews were confirmed" figure.

    Real commits: the callback runs once the service's transaction commits.
    """
    report_snapshot_fetch(filters=ReportFilters())
    with transaction.atomic():
        counted_data_changed()
        counted_data_changed()  # registered once per transaction
        assert report_snapshot_fetch(filters=ReportFilters()).from_snapshot
    assert not report_snapshot_fetch(filters=ReportFilters()).from_snapshot


def test_merge_makes_the_snapshot_stale(registry, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    assert _unique() == 6
    version = report_data_version()
    with django_capture_on_commit_callbacks(execute=True):
        person_merge(survivor=registry.p3, merged=registry.p6, actor=None)
    assert report_data_version() > version
    assert _unique() == 5


def test_roster_import_makes_the_snapshot_stale(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from intake.roster_import import roster_import

    before = report_snapshot_fetch(filters=ReportFilters()).report
    with django_capture_on_commit_callbacks(execute=True):
        report = roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=registry.k3)
    assert report.batch_id is not None
    after = report_snapshot_fetch(filters=ReportFilters())
    assert not after.from_snapshot
    assert after.report["participations"] == before["participations"] + len(ROWS)
    assert after.report == report_build(filters=ReportFilters())


def test_a_rolled_back_write_leaves_the_snapshot_current(
    registry, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    report_snapshot_fetch(filters=ReportFilters())
    version = report_data_version()

    def failing_write() -> None:
        with transaction.atomic():
            counted_data_changed()
            raise RuntimeError("the write failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failing_write()
    assert report_data_version() == version
    assert report_snapshot_fetch(filters=ReportFilters()).from_snapshot


def test_older_figures_never_replace_newer_ones(registry) -> None:  # type: ignore[no-untyped-def]
    report_snapshot_refresh(filters=ReportFilters(), version=2)
    ReportSnapshot.objects.update(report_json=json.dumps({"marker": "newer"}))
    report_snapshot_refresh(filters=ReportFilters(), version=1)
    snapshot = ReportSnapshot.objects.get(key="")
    assert (snapshot.data_version, json.loads(snapshot.report_json)) == (2, {"marker": "newer"})


def test_storing_a_new_version_deletes_the_stale_snapshots(registry) -> None:  # type: ignore[no-untyped-def]
    report_snapshot_refresh(filters=ReportFilters(course=registry.course_a.pk), version=0)
    report_snapshot_refresh(filters=ReportFilters(), version=1)
    assert list(ReportSnapshot.objects.values_list("key", "data_version")) == [("", 1)]


def test_a_download_uses_a_current_snapshot_or_computes_only_its_table(registry) -> None:  # type: ignore[no-untyped-def]
    alone = report_snapshot_fetch(filters=ReportFilters(), sections=["by_sex"])
    assert not alone.from_snapshot
    assert "by_sex" in alone.report
    assert "by_course" not in alone.report
    assert not ReportSnapshot.objects.exists()
    report_snapshot_fetch(filters=ReportFilters())
    stored = report_snapshot_fetch(filters=ReportFilters(), sections=["by_sex"])
    assert stored.from_snapshot
    assert stored.report["by_sex"] == alone.report["by_sex"]


def test_dashboard_shows_when_its_figures_were_computed(client, registry) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory(username="analyst", is_superuser=True)
    client.force_login(user)
    first = client.get(reverse("reports:dashboard"))
    computed_at = ReportSnapshot.objects.get(key="").computed_at
    shown = timezone.localtime(computed_at).strftime("%d/%m/%Y %H:%M")
    assert f"Cifras calculadas el {shown}" in first.content.decode()
    second = client.get(reverse("reports:dashboard"))
    assert f"Cifras calculadas el {shown}" in second.content.decode()
    assert ReportSnapshot.objects.get(key="").computed_at == computed_at  # served, not redone


def test_computed_at_reads_as_peru_writes_it_in_lima_time(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="analyst", is_superuser=True))
    client.get(reverse("reports:dashboard"))
    # 14:57 UTC is 09:57 in Lima (UTC-5, no daylight saving time).
    at = dt.datetime(2026, 12, 7, 14, 57, tzinfo=dt.UTC)
    ReportSnapshot.objects.filter(key="").update(computed_at=at)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "Cifras calculadas el 07/12/2026 09:57;" in html
    assert "2026-12-07" not in html


def test_refresh_command_stores_the_snapshot(registry) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("report_snapshot_refresh", "--course", "Curso B", stdout=out)
    assert "calculado y guardado" in out.getvalue()
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.key == f"course={registry.course_b.pk}"
    expected = report_build(filters=ReportFilters(course=registry.course_b.pk))
    assert json.loads(snapshot.report_json) == json.loads(json.dumps(expected))
    with pytest.raises(CommandError, match="region"):
        call_command("report_snapshot_refresh", "--region", "Atlántida")


def test_every_service_that_changes_figures_bumps_the_version(
    registry, admin_user, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from decimal import Decimal

    from courses.vocabulary_mapping import alias_map
    from data_requests.cancellation import person_cancel
    from intake.registration.services.score_sheet import scores_enter
    from participants.models import Decision, DuplicateCandidate
    from review.merging import person_unmerge
    from review.services import candidate_decide

    def bumps(write) -> bool:  # type: ignore[no-untyped-def]
        before = report_data_version()
        with django_capture_on_commit_callbacks(execute=True):
            write()
        return report_data_version() > before

    pending = DuplicateCandidate.objects.get(person_a=registry.p3, person_b=registry.p4)
    assert bumps(
        lambda: candidate_decide(candidate=pending, decision="different", actor=admin_user)
    )
    merge = person_merge(survivor=registry.p3, merged=registry.p6, actor=None)
    assert bumps(lambda: person_unmerge(merge=merge, actor=admin_user))
    assert bumps(lambda: alias_map(vocabulary="institution", text="Fiscalia X", entry=registry.ia))
    enrollment = registry.p4.enrollments.get()
    assert bumps(
        lambda: scores_enter(
            actor=admin_user,
            enrollment=enrollment,
            phase="pre",
            raw_score=Decimal(10),
            scale_max=Decimal(20),
        )
    )
    assert bumps(lambda: person_cancel(person=registry.p4, actor=admin_user, reason="Solicitud 1"))
    assert DuplicateCandidate.objects.get(pk=pending.pk).decision == Decision.DIFFERENT


@pytest.mark.django_db(transaction=True)
def test_an_edit_outside_the_services_makes_the_report_stale() -> None:
    from registry.reports.freshness import report_data_version
    from tests.factories import PersonFactory

    person = PersonFactory()
    before = report_data_version()
    person.sex = "F"
    person.save()  # as an admin edit would
    assert report_data_version() > before
