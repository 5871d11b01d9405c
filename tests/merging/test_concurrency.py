"""Concurrent merges of the same persons (PostgreSQL: SQLite cannot lock rows).

Each merge runs in its own thread and database connection. The merge that locks first is
held inside its transaction for a moment so that the other really waits on the row lock; it
must then see the first one's result and either fail cleanly or build on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from courses.models import Enrollment, SourceRecord
from participants.models import MergeRecord, Person, PersonStatus
from review.merging import MergeError, person_merge
from review.merging import merge as merge_module
from tests.factories import CohortFactory, PersonFactory
from tests.merging.conftest import enroll

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Start the jobs at the same moment; each result is a value or the exception raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a merge hung (deadlock?)"
    return results


@pytest.fixture
def slow_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the locks a moment after taking them, so the other merge has to wait for them."""
    take_locks = merge_module.lock_persons

    def lock_then_wait(*ids: int) -> dict[int, Person]:
        locked = take_locks(*ids)
        time.sleep(0.3)
        return locked

    monkeypatch.setattr(merge_module, "lock_persons", lock_then_wait)


def _persons_with_enrollments(n: int) -> tuple[list[Person], Any]:
    shared = CohortFactory()
    persons = [PersonFactory(document_number="") for _ in range(n)]
    for person in persons:
        enroll(person, shared, phases=("pre",))
        enroll(person, CohortFactory(), phases=("pre", "post"))
    return persons, shared


def _assert_consistent(persons: list[Person], shared: Any, cohorts_before: set[int]) -> None:
    active = list(Person.objects.active().filter(pk__in=[p.pk for p in persons]))
    for person in Person.objects.filter(pk__in=[p.pk for p in persons]):
        if person.status == PersonStatus.MERGED:
            assert person.merged_into.status == PersonStatus.ACTIVE
            assert not person.enrollments.exists()
            assert not person.source_records.exists()
    # Every cohort anyone took is still taken, once per active person, by an active person.
    enrollments = Enrollment.objects.filter(person__in=persons)
    assert {e.cohort_id for e in enrollments} == cohorts_before
    assert all(e.person.status == PersonStatus.ACTIVE for e in enrollments)
    assert Enrollment.objects.filter(cohort=shared).count() == len(active)
    # Every roster row is still there and points at an active person and its enrollment.
    for source in SourceRecord.objects.all():
        assert source.person.status == PersonStatus.ACTIVE
        assert source.enrollment.person_id == source.person_id
    assert MergeRecord.objects.count() == len(persons) - len(active)


def _cohorts() -> set[int]:
    return set(Enrollment.objects.values_list("cohort_id", flat=True))


def test_opposite_merges_of_the_same_pair(postgres_only, slow_lock):
    (a, b), shared = _persons_with_enrollments(2)
    cohorts = _cohorts()

    results = _run_together(
        lambda: person_merge(survivor=a, merged=b, actor=None),
        lambda: person_merge(survivor=b, merged=a, actor=None),
    )

    merges = [r for r in results if isinstance(r, MergeRecord)]
    errors = [r for r in results if isinstance(r, MergeError)]
    assert len(merges) == 1, results
    assert len(errors) == 1, results
    assert "ya fue fusionada en" in str(errors[0])
    assert Person.objects.active().filter(pk__in=[a.pk, b.pk]).count() == 1
    _assert_consistent([a, b], shared, cohorts)


def test_one_person_merged_into_two_survivors_at_once(postgres_only, slow_lock):
    (a, b, c), shared = _persons_with_enrollments(3)
    cohorts = _cohorts()

    results = _run_together(
        lambda: person_merge(survivor=b, merged=a, actor=None),
        lambda: person_merge(survivor=c, merged=a, actor=None),
    )

    merges = [r for r in results if isinstance(r, MergeRecord)]
    assert len(merges) == 1, results
    assert isinstance(next(r for r in results if r not in merges), MergeError)
    a.refresh_from_db()
    assert a.merged_into_id == merges[0].survivor_id
    _assert_consistent([a, b, c], shared, cohorts)


def test_two_merges_into_one_survivor_serialise(postgres_only, slow_lock):
    (a, b, c), shared = _persons_with_enrollments(3)
    cohorts = _cohorts()

    results = _run_together(
        lambda: person_merge(survivor=b, merged=a, actor=None),
        lambda: person_merge(survivor=b, merged=c, actor=None),
    )

    assert all(isinstance(r, MergeRecord) for r in results), results
    assert list(Person.objects.active().filter(pk__in=[a.pk, b.pk, c.pk])) == [b]
    assert b.enrollments.count() == 4  # the shared cohort once, plus one own cohort each
    _assert_consistent([a, b, c], shared, cohorts)
