"""Imports that run at the same moment.

The same file twice: one batch, the other says so. Two files that both bring a new DNI: the
import that commits second must link that row to the person the first one created (no
server error, nothing of its roster lost, no DNI in the log).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from courses.models import Enrollment, ImportBatch
from intake.roster_import import committing, roster_import
from participants.models import Person
from tests.factories import CohortFactory
from tests.roster_import.files import ROWS, csv_bytes

SHARED_DNI = "40000777"
SHARED_ROW = [9, "Villanueva", "Cárdenas", "Teodora", SHARED_DNI, "F", "", "", "", "", 11, 17]


def _roster(first_row: list[Any]) -> bytes:
    """A roster whose last row is a person new to the registry that another file also lists."""
    return csv_bytes([first_row, SHARED_ROW])


def _run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Each job in its own thread and connection; each result is a value or the exception."""
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "an import hung"
    return results


@pytest.mark.django_db(transaction=True)
def test_same_file_imported_twice_concurrently(postgres_only: None) -> None:
    cohort = CohortFactory()
    data = csv_bytes(ROWS)
    barrier = threading.Barrier(2)

    def job() -> str:
        barrier.wait(timeout=10)
        return roster_import(file=data, file_name="l.csv", cohort=cohort).status

    statuses = _run_together(job, job)
    assert sorted(statuses) == ["already_imported", "committed"]
    assert ImportBatch.objects.count() == 1
    assert Person.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_files_with_the_same_new_dni_at_once(
    postgres_only: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Both imports plan the shared row as a new person before either commits."""
    caplog.set_level(logging.DEBUG)
    first_cohort, second_cohort = CohortFactory(), CohortFactory()
    barrier = threading.Barrier(2)
    planned_once = threading.local()
    real_plan = committing.plan_import

    def plan_then_wait(**kwargs: Any) -> Any:
        plan = real_plan(**kwargs)
        if not getattr(planned_once, "value", False):
            planned_once.value = True
            barrier.wait(timeout=30)
        return plan

    monkeypatch.setattr(committing, "plan_import", plan_then_wait)
    results = _run_together(
        lambda: roster_import(file=_roster(ROWS[0]), file_name="a.csv", cohort=first_cohort),
        lambda: roster_import(file=_roster(ROWS[1]), file_name="b.csv", cohort=second_cohort),
    )

    assert [getattr(result, "status", result) for result in results] == [
        "committed",
        "committed",
    ]
    shared = Person.objects.get(document_number=SHARED_DNI)
    assert set(Enrollment.objects.filter(person=shared).values_list("cohort_id", flat=True)) == {
        first_cohort.pk,
        second_cohort.pk,
    }
    outcomes = sorted(result.rows[1].outcome for result in results)
    assert outcomes == ["linked", "new"]
    assert Person.objects.count() == 3  # each file's own person, and the shared one once
    assert SHARED_DNI not in caplog.text


@pytest.mark.django_db
def test_a_person_committed_meanwhile_is_linked_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The same race on any database: another import commits the DNI between this import's
    planning and its commit (SQLite serialises writers, so this is what its loser sees)."""
    caplog.set_level(logging.DEBUG)
    cohort, other_cohort = CohortFactory(), CohortFactory()
    real_plan = committing.plan_import
    state = {"raced": False}

    def plan_then_let_the_other_commit(**kwargs: Any) -> Any:
        plan = real_plan(**kwargs)
        if not state["raced"]:
            state["raced"] = True
            other = roster_import(file=_roster(ROWS[1]), file_name="b.csv", cohort=other_cohort)
            assert other.status == "committed"
        return plan

    monkeypatch.setattr(committing, "plan_import", plan_then_let_the_other_commit)
    report = roster_import(file=_roster(ROWS[0]), file_name="a.csv", cohort=cohort)

    assert report.status == "committed"
    assert [row.outcome for row in report.rows] == ["new", "linked"]
    shared = Person.objects.get(document_number=SHARED_DNI)
    assert report.rows[1].person_code == shared.code
    assert Enrollment.objects.filter(person=shared).count() == 2
    assert ImportBatch.objects.count() == 2
    assert SHARED_DNI not in caplog.text


@pytest.mark.django_db
def test_an_import_that_keeps_losing_the_race_is_refused_in_spanish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import IntegrityError

    from intake.roster_import import RosterFileError

    def always_conflicting(**kwargs: Any) -> Any:
        raise IntegrityError(f"Key (document_number)=({SHARED_DNI}) already exists.")

    monkeypatch.setattr(committing, "_commit", always_conflicting)
    cohort = CohortFactory()
    with pytest.raises(RosterFileError) as error:
        roster_import(file=_roster(ROWS[0]), file_name="a.csv", cohort=cohort)
    message = str(error.value)
    assert message.startswith("a.csv: ")
    assert "otra importación" in message
    assert SHARED_DNI not in message
    assert ImportBatch.objects.count() == 0
    assert Person.objects.count() == 0
