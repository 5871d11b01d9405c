"""Maintained report cells: incremental maintenance must equal a rebuild from scratch.

The invariant under test: after any write to the registry, whatever the write path (a
service, a model's save(), a bulk queryset update, an M2M change), `report_cells_refresh()`
brings the facts and the cells to exactly the state `report_cells_rebuild()` computes from
nothing. Each test starts from a maintained registry (the `world` fixture), makes one kind of
write, and checks both halves:

- maintained == rebuilt (`_assert_maintained_equals_rebuild`), so no write path is missed
  by the triggers and no contribution is subtracted or added twice;
- the figure the write should move did move (a cell before vs after), so a test cannot pass
  merely because neither side saw the write.

The rest checks the stored slices against the cells computed on the fly from the facts,
which slice a set of filters reads, that a rolled-back write leaves no dirty mark, and
(PostgreSQL) that two concurrent refreshes do not count a change twice.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
from django.db import connection, transaction

from assessments.models import Phase, Score
from courses.models import Cohort, Course, Enrollment
from courses.vocabulary_mapping import alias_map
from data_requests.cancellation import person_cancel
from participants.models import Person, Sex
from registry.models import ReportCell, ReportDirtyPerson, ReportFact
from registry.reports import maintenance
from registry.reports.cell_sql import SEQUENCE_COURSES, SLICES
from registry.reports.cells import contributions
from registry.reports.cellset import report_cells, stored_slice
from registry.reports.facts import FACT_COLUMNS
from registry.reports.filters import ReportFilters
from registry.reports.maintenance import report_cells_rebuild, report_cells_refresh
from review.merging import person_merge, person_unmerge
from tests.factories import CohortFactory, CourseFactory, EnrollmentFactory, PersonFactory

# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


class Cell(NamedTuple):
    """A cell's measures in a comparable form (a tuple, so it equals a plain tuple)."""

    persons: int
    participations: int
    rows_all: int
    with_pre: int
    with_post: int
    with_both: int
    sum_pre: float
    sum_post: float
    improved: int
    sum_normalised_gain: float
    normalised_gain_pairs: int


ZERO = Cell(0, 0, 0, 0, 0, 0, 0.0, 0.0, 0, 0.0, 0)
CellKey = tuple[str, str, str, str]  # slice_dim, slice_key, section, key
Cells = dict[CellKey, Cell]


def _cell_of(values: tuple[Any, ...]) -> Cell:
    (persons, participations, rows_all, with_pre, with_post, with_both, sum_pre, sum_post,
     improved, gain, pairs) = values  # fmt: skip
    return Cell(
        int(persons),
        int(participations),
        int(rows_all),
        int(with_pre),
        int(with_post),
        int(with_both),
        round(float(sum_pre), 2),
        round(float(sum_post), 2),
        int(improved),
        round(float(gain), 9),
        int(pairs),
    )


def _cells() -> Cells:
    """Every stored cell, keyed by (slice_dim, slice_key, section, key)."""
    rows = ReportCell.objects.values_list(
        "slice_dim", "slice_key", "section", "key",
        "persons", "participations", "rows_all", "with_pre", "with_post", "with_both",
        "sum_pre", "sum_post", "improved", "sum_normalised_gain", "normalised_gain_pairs",
    )  # fmt: skip
    return {tuple(row[:4]): _cell_of(row[4:]) for row in rows}


def _facts() -> list[tuple[Any, ...]]:
    return list(ReportFact.objects.order_by("enrollment_id").values_list(*FACT_COLUMNS))


def _assert_maintained_equals_rebuild() -> Cells:
    """Refresh incrementally, then rebuild from scratch: facts and cells must not move.

    Returns the (equal) cells, for the caller's before/after checks.
    """
    report_cells_refresh()
    assert not ReportDirtyPerson.objects.exists(), "the refresh left dirty marks behind"
    maintained_cells, maintained_facts = _cells(), _facts()
    report_cells_rebuild()
    rebuilt_cells, rebuilt_facts = _cells(), _facts()
    assert maintained_facts == rebuilt_facts
    missing = sorted(set(rebuilt_cells) - set(maintained_cells))
    extra = sorted(set(maintained_cells) - set(rebuilt_cells))
    differ = sorted(
        key
        for key in set(rebuilt_cells) & set(maintained_cells)
        if rebuilt_cells[key] != maintained_cells[key]
    )
    assert (missing, extra, differ) == ([], [], []), (
        f"maintained cells differ from a rebuild: missing {missing[:5]}, extra {extra[:5]}, "
        f"different {[(k, maintained_cells[k], rebuilt_cells[k]) for k in differ[:5]]}"
    )
    return rebuilt_cells


def _get(cells: Cells, section: str, key: object = "", *, dim: str = "", at: object = "") -> Cell:
    """One cell (zero when absent); `dim`/`at` name the slice, the whole registry by default."""
    return cells.get((dim, str(at), section, str(key)), ZERO)


def _write_and_check(write: Callable[[], object]) -> tuple[Cells, Cells]:
    """The maintained cells before and after `write`, checked equal to a rebuild after it."""
    before = _cells()
    write()
    assert ReportDirtyPerson.objects.exists(), "the write marked nobody dirty"
    after = _assert_maintained_equals_rebuild()
    assert after != before, "the write changed no cell at all"
    return before, after


def _seq(*courses: Course) -> str:
    return ">".join(str(course.pk) for course in courses)


def _score(enrollment: Enrollment, phase: str, raw: int) -> Score:
    score = Score(enrollment=enrollment, phase=phase, raw_score=Decimal(raw), scale_max=20)
    score.save()
    return score


# ---------------------------------------------------------------------------------------
# The registry: the hand-computed report fixture plus a third course and one more person
# ---------------------------------------------------------------------------------------


@pytest.fixture
def world(registry):  # type: ignore[no-untyped-def]
    """`registry` (tests/reports/conftest.py) extended, and brought to a maintained state.

    Added: course C (prevention, provider ONG, no indicator) with cohort K4 (2022-09-01);
    P8 (sex not recorded) in K4 with the unmapped institution "Comisaria Y" and 25/75, and
    in K2 (IA/RA, 50/70); P3 also in K1 (IB/RB, 30/100), so that merging P3 into P6 folds
    two enrollments of one cohort.
    """
    r = registry
    course_c = CourseFactory(title="Curso C", component="prevention", provider="ONG")
    k4 = CohortFactory(course=course_c, label="C-2022", start_date=dt.date(2022, 9, 1))
    p8 = PersonFactory(sex=Sex.NOT_RECORDED, given_names="Octavio")
    e8c = EnrollmentFactory(person=p8, cohort=k4, institution_text="Comisaria Y")
    _score(e8c, Phase.PRE, 5)
    _score(e8c, Phase.POST, 15)
    e8a = EnrollmentFactory(person=p8, cohort=r.k2, institution=r.ia, region=r.ra)
    _score(e8a, Phase.PRE, 10)
    _score(e8a, Phase.POST, 14)
    e3k1 = EnrollmentFactory(person=r.p3, cohort=r.k1, institution=r.ib, region=r.rb)
    _score(e3k1, Phase.PRE, 6)
    _score(e3k1, Phase.POST, 20)
    # From the state the migration left (no facts) to this registry, incrementally.
    _assert_maintained_equals_rebuild()
    return SimpleNamespace(**vars(r), course_c=course_c, k4=k4, p8=p8, e8c=e8c, e8a=e8a)


def _enrollment(person: Person, cohort: Cohort) -> Enrollment:
    return Enrollment.objects.get(person=person, cohort=cohort)


# ---------------------------------------------------------------------------------------
# The starting point
# ---------------------------------------------------------------------------------------


def test_cells_built_incrementally_hold_the_expected_totals(world) -> None:  # type: ignore[no-untyped-def]
    cells = _cells()
    # Counted persons P1-P6 and P8 (P7 cancelled, P5m merged); 13 participations counted,
    # 14 rows with P7's.
    assert _get(cells, "total")[:3] == (7, 13, 14)
    assert _get(cells, "sex", Sex.NOT_RECORDED).persons == 2  # P3 and P8
    assert _get(cells, "unmapped_institution", "Comisaria Y").participations == 1
    assert _get(cells, "course", world.course_c.pk).persons == 1
    assert _get(cells, "total", dim="year", at=2022).participations == 1
    a, b, c = world.course_a, world.course_b, world.course_c
    assert _get(cells, "sequence", _seq(a, a, b)).persons == 1  # P1
    assert _get(cells, "sequence", _seq(a, a)).persons == 1  # P3
    assert _get(cells, "sequence", _seq(a, b)).persons == 2  # P2, P5
    assert _get(cells, "sequence", _seq(c, a)).persons == 1  # P8


# ---------------------------------------------------------------------------------------
# Enrollments
# ---------------------------------------------------------------------------------------


def test_enrollment_created(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: EnrollmentFactory(person=w.p4, cohort=w.k1, institution=w.ia, region=w.ra)
    )
    assert _get(after, "total").participations == _get(before, "total").participations + 1
    assert _get(after, "total").persons == _get(before, "total").persons
    assert _get(after, "course", w.course_a.pk).persons == (
        _get(before, "course", w.course_a.pk).persons + 1
    )
    assert _get(after, "repeat", 2).persons == _get(before, "repeat", 2).persons + 1
    assert _get(after, "sequence", _seq(w.course_a, w.course_b)).persons == (
        _get(before, "sequence", _seq(w.course_a, w.course_b)).persons + 1
    )
    assert _get(after, "total", dim="region", at=w.ra.pk).participations == (
        _get(before, "total", dim="region", at=w.ra.pk).participations + 1
    )


def test_enrollment_deleted(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(lambda: _enrollment(w.p1, w.k3).delete())
    assert _get(after, "total").participations == _get(before, "total").participations - 1
    assert _get(after, "total").persons == _get(before, "total").persons
    assert _get(after, "course", w.course_b.pk).persons == (
        _get(before, "course", w.course_b.pk).persons - 1
    )
    a_a_b = _seq(w.course_a, w.course_a, w.course_b)
    assert _get(before, "sequence", a_a_b).persons == 1
    assert ("", "", "sequence", a_a_b) not in after
    # P1 now took course A twice, as P3 did.
    assert _get(after, "sequence", _seq(w.course_a, w.course_a)).persons == 2


def test_enrollment_institution_and_region_updated(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    enrollment = _enrollment(w.p4, w.k3)

    def write() -> None:
        enrollment.institution = w.ia
        enrollment.region = w.ra
        enrollment.save()

    before, after = _write_and_check(write)
    assert _get(after, "institution", w.ia.pk).participations == (
        _get(before, "institution", w.ia.pk).participations + 1
    )
    assert _get(after, "institution", w.ib.pk).participations == (
        _get(before, "institution", w.ib.pk).participations - 1
    )
    # The region's entry now set: the spelling "Cuzco city" is no longer counted unmapped.
    assert _get(before, "unmapped_region", "Cuzco city").participations == 1
    assert ("", "", "unmapped_region", "Cuzco city") not in after
    assert _get(after, "enrollments_with", "region").participations == (
        _get(before, "enrollments_with", "region").participations + 1
    )
    assert _get(after, "total", dim="institution", at=w.ia.pk).persons == (
        _get(before, "total", dim="institution", at=w.ia.pk).persons + 1
    )
    # Course B counts toward T-2: its breakdowns follow (an unset region is "").
    for section, old, new in (
        ("indicator_institution", w.ib.pk, w.ia.pk),
        ("indicator_region", "", w.ra.pk),
    ):
        assert _get(after, section, f"{w.t2.pk}|{old}").participations == (
            _get(before, section, f"{w.t2.pk}|{old}").participations - 1
        )
        assert _get(after, section, f"{w.t2.pk}|{new}").participations == (
            _get(before, section, f"{w.t2.pk}|{new}").participations + 1
        )
    assert _get(after, "indicator_any") == _get(before, "indicator_any")


def test_enrollment_moved_to_another_person_by_bulk_update(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    moved = _enrollment(w.p6, w.k1)
    # A queryset update: no model signal, only the database trigger sees it.
    before, after = _write_and_check(
        lambda: Enrollment.objects.filter(pk=moved.pk).update(person=w.p4)
    )
    # P6 had only this enrollment: one person fewer, the same participations.
    assert _get(after, "total").persons == _get(before, "total").persons - 1
    assert _get(after, "total").participations == _get(before, "total").participations
    assert _get(after, "sequence", _seq(w.course_a, w.course_b)).persons == (
        _get(before, "sequence", _seq(w.course_a, w.course_b)).persons + 1
    )
    assert _get(after, "repeat", 1).persons == _get(before, "repeat", 1).persons - 2
    assert _get(after, "repeat", 2).persons == _get(before, "repeat", 2).persons + 1


# ---------------------------------------------------------------------------------------
# Persons
# ---------------------------------------------------------------------------------------


def test_person_sex_changed_by_save(world) -> None:  # type: ignore[no-untyped-def]
    w = world

    def write() -> None:
        w.p3.sex = Sex.MALE
        w.p3.save()

    before, after = _write_and_check(write)
    assert _get(after, "sex", Sex.MALE).persons == _get(before, "sex", Sex.MALE).persons + 1
    assert _get(after, "sex", Sex.NOT_RECORDED).persons == (
        _get(before, "sex", Sex.NOT_RECORDED).persons - 1
    )
    assert _get(after, "persons_with", "sex").persons == (
        _get(before, "persons_with", "sex").persons + 1
    )
    # P3 took part in K1 and K2: both participations now have a sex recorded.
    assert _get(after, "enrollments_with", "sex").participations == (
        _get(before, "enrollments_with", "sex").participations + 2
    )


def test_person_sex_changed_by_bulk_update(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: Person.objects.filter(pk__in=[w.p4.pk, w.p6.pk]).update(sex=Sex.OTHER)
    )
    assert _get(before, "sex", Sex.OTHER) == ZERO
    assert _get(after, "sex", Sex.OTHER).persons == 2
    assert _get(after, "sex", Sex.FEMALE).persons == _get(before, "sex", Sex.FEMALE).persons - 2
    assert _get(after, "sex", Sex.OTHER, dim="course", at=w.course_b.pk).persons == 1  # P4


def test_person_document_cleared_by_bulk_update(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: Person.objects.filter(pk=w.p1.pk).update(document_number="")
    )
    assert _get(after, "persons_with", "dni").persons == (
        _get(before, "persons_with", "dni").persons - 1
    )
    assert _get(after, "enrollments_with", "dni").participations == (
        _get(before, "enrollments_with", "dni").participations - 3
    )


# ---------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------


def test_score_created(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(lambda: _score(_enrollment(w.p1, w.k3), Phase.PRE, 10))
    k3 = w.k3.pk
    assert _get(after, "cohort", k3).with_pre == _get(before, "cohort", k3).with_pre + 1
    # P2's K3 has a post only: with P1's pre alone, no new pair.
    assert _get(after, "cohort", k3).with_both == _get(before, "cohort", k3).with_both


def test_score_raw_score_updated(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    score = Score.objects.get(enrollment=_enrollment(w.p1, w.k1), phase=Phase.POST)

    def write() -> None:
        score.raw_score = Decimal(20)  # 80% -> 100%
        score.save()

    before, after = _write_and_check(write)
    k1 = w.k1.pk
    assert _get(after, "cohort", k1).sum_post == _get(before, "cohort", k1).sum_post + 20
    assert _get(after, "cohort", k1, dim="region", at=w.ra.pk).sum_post == (
        _get(before, "cohort", k1, dim="region", at=w.ra.pk).sum_post + 20
    )
    # P1's normalised gain in K1 goes from (80-50)/50 = 0.6 to (100-50)/50 = 1.
    assert _get(after, "cohort", k1).sum_normalised_gain == pytest.approx(
        _get(before, "cohort", k1).sum_normalised_gain + 0.4
    )


def test_score_deleted(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: Score.objects.filter(enrollment=_enrollment(w.p3, w.k2)).delete()
    )
    k2 = w.k2.pk
    assert _get(after, "cohort", k2).with_both == _get(before, "cohort", k2).with_both - 1
    assert _get(after, "cohort", k2).sum_pre == _get(before, "cohort", k2).sum_pre - 100
    # Pre 100% has no normalised gain: the pairs behind it do not move.
    assert _get(after, "cohort", k2).normalised_gain_pairs == (
        _get(before, "cohort", k2).normalised_gain_pairs
    )


# ---------------------------------------------------------------------------------------
# Cohorts and courses
# ---------------------------------------------------------------------------------------


def test_cohort_start_date_moved_to_another_year(world) -> None:  # type: ignore[no-untyped-def]
    w = world

    def write() -> None:
        w.k3.start_date = dt.date(2023, 1, 15)  # course B now comes first
        w.k3.save()

    before, after = _write_and_check(write)
    assert _get(after, "year", 2023).participations == (
        _get(before, "year", 2023).participations + 4
    )
    assert _get(after, "total", dim="year", at=2024).participations == (
        _get(before, "total", dim="year", at=2024).participations - 4
    )
    a, b = w.course_a, w.course_b
    assert _get(before, "sequence", _seq(a, a, b)).persons == 1  # P1
    assert _get(after, "sequence", _seq(a, a, b)) == ZERO
    assert _get(after, "sequence", _seq(b, a, a)).persons == 1


def test_cohort_moved_to_another_course(world) -> None:  # type: ignore[no-untyped-def]
    w = world

    def write() -> None:
        w.k2.course = w.course_c
        w.k2.save()

    before, after = _write_and_check(write)
    assert _get(after, "course", w.course_c.pk).persons == 4  # P8 (twice), P1, P3, P5
    assert _get(after, "component", "prevention").participations == 5
    # P3's K2 was its only course A participation apart from K1; P5 took A only in K2.
    assert _get(after, "course", w.course_a.pk).persons == (
        _get(before, "course", w.course_a.pk).persons - 2  # P5 and P8
    )
    # Course C has no indicator: K2's participants no longer reach T-1 through it.
    assert _get(after, "indicator", w.t1.pk).persons == (
        _get(before, "indicator", w.t1.pk).persons - 2  # P5 and P8
    )
    # P8 took no other course with an indicator; P5 has course B.
    assert _get(after, "indicator_any").persons == _get(before, "indicator_any").persons - 1


@pytest.mark.parametrize("via", ["save", "queryset_update"])
def test_course_component_and_provider_changed(world, via: str) -> None:  # type: ignore[no-untyped-def]
    w = world

    def write() -> None:
        if via == "save":
            w.course_b.component = "prevention"
            w.course_b.provider = "CEM nuevo"
            w.course_b.save()
        else:
            Course.objects.filter(pk=w.course_b.pk).update(
                component="prevention", provider="CEM nuevo"
            )

    before, after = _write_and_check(write)
    # Course B was the only protection course and the only CEM one.
    assert _get(before, "component", "protection").participations == 4
    assert _get(after, "component", "protection") == ZERO
    assert ("component", "protection", "total", "") not in after
    assert ("provider", "CEM", "total", "") not in after
    assert _get(after, "total", dim="provider", at="CEM nuevo").participations == 4
    assert _get(after, "component", "prevention").participations == (
        _get(before, "component", "prevention").participations + 4
    )


# Indicator links belong to the facts (as at the last refresh), so a person's old
# contribution is computed with the old links and the change reaches the cells.


def test_course_indicator_added(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(lambda: w.course_b.indicators.add(w.t1))
    assert _get(after, "indicator", w.t1.pk).persons == (
        _get(before, "indicator", w.t1.pk).persons + 1  # P4: the only B participant not in A
    )


def test_course_indicator_removed(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(lambda: w.course_a.indicators.remove(w.t1))
    assert _get(before, "indicator", w.t1.pk).persons > 0
    assert _get(after, "indicator", w.t1.pk) == ZERO


def test_course_indicator_change_marks_the_course_participants(world) -> None:  # type: ignore[no-untyped-def]
    """The trigger half of the indicator writes works: every participant of the course is
    marked (P1, P2, P4, P5 take course B), and so is every participant when one is removed."""
    w = world
    w.course_b.indicators.add(w.t1)
    marked = set(ReportDirtyPerson.objects.values_list("person_id", flat=True))
    assert marked == {w.p1.pk, w.p2.pk, w.p4.pk, w.p5.pk}
    report_cells_refresh()
    w.course_c.indicators.add(w.t2)
    w.course_c.indicators.remove(w.t2)
    assert set(ReportDirtyPerson.objects.values_list("person_id", flat=True)) == {w.p8.pk}


@pytest.mark.parametrize("via", ["save", "queryset_update"])
def test_course_knowledge_indicator_changed(world, via: str) -> None:  # type: ignore[no-untyped-def]
    w = world

    def write() -> None:
        if via == "save":
            w.course_b.knowledge_indicator = w.tk
            w.course_b.save()
        else:
            Course.objects.filter(pk=w.course_b.pk).update(knowledge_indicator=w.tk)

    before, after = _write_and_check(write)
    # Course B's one pair (P5, 70 -> 95) now measures T-K too; P5 had no pair in course A.
    assert _get(after, "knowledge", w.tk.pk).with_both == (
        _get(before, "knowledge", w.tk.pk).with_both + 1
    )
    assert _get(after, "knowledge_paired", w.tk.pk).persons == (
        _get(before, "knowledge_paired", w.tk.pk).persons + 1
    )
    # Only course C's participant (P8) is left out of any knowledge indicator.
    assert _get(after, "knowledge", "")[:3] == (1, 1, 1)
    # Output indicator figures do not move with the knowledge indicator.
    assert _get(after, "indicator_sex", f"{w.t1.pk}|F") == _get(
        before, "indicator_sex", f"{w.t1.pk}|F"
    )


def test_course_knowledge_indicator_change_marks_the_course_participants(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    w.course_b.knowledge_indicator = w.tk
    w.course_b.save()
    marked = set(ReportDirtyPerson.objects.values_list("person_id", flat=True))
    assert marked == {w.p1.pk, w.p2.pk, w.p4.pk, w.p5.pk}
    report_cells_refresh()
    w.course_b.title = "Curso B renombrado"  # not counted: marks nobody
    w.course_b.save()
    assert not ReportDirtyPerson.objects.exists()


# ---------------------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------------------


def test_merge_then_unmerge(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    record = None

    def merge() -> None:
        nonlocal record
        # P3 and P6 share K1: P3's K1 enrollment folds into P6's (its pre moves, its post
        # is dropped for P6's), P3's K2 moves to P6.
        record = person_merge(survivor=w.p6, merged=w.p3, actor=None)

    before, merged = _write_and_check(merge)
    assert _get(merged, "total").persons == _get(before, "total").persons - 1
    assert _get(merged, "total").participations == _get(before, "total").participations - 1
    assert _get(merged, "cohort", w.k1.pk).with_both == _get(before, "cohort", w.k1.pk).with_both
    assert _get(merged, "sex", Sex.NOT_RECORDED).persons == (
        _get(before, "sex", Sex.NOT_RECORDED).persons - 1
    )

    assert record is not None
    unmerged_before, unmerged = _write_and_check(lambda: person_unmerge(merge=record, actor=None))
    assert unmerged_before == merged
    assert unmerged == before


def test_person_cancelled(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: person_cancel(person=w.p1, actor=None, reason="Solicitud de prueba")
    )
    total_before, total_after = _get(before, "total"), _get(after, "total")
    assert total_after.persons == total_before.persons - 1
    assert total_after.participations == total_before.participations - 3
    # Cancelled participations still reach the anonymised total.
    assert total_after.rows_all == total_before.rows_all
    assert _get(after, "sex", Sex.FEMALE).persons == _get(before, "sex", Sex.FEMALE).persons - 1


def test_alias_map_maps_an_unmapped_institution(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    before, after = _write_and_check(
        lambda: alias_map(vocabulary="institution", text="Fiscalia X", entry=w.ia)
    )
    assert _get(before, "unmapped_institution", "Fiscalia X").participations == 1
    assert _get(after, "unmapped_institution", "Fiscalia X") == ZERO
    assert _get(after, "enrollments_with", "institution_unmapped").participations == (
        _get(before, "enrollments_with", "institution_unmapped").participations - 1
    )
    assert _get(after, "institution", w.ia.pk).participations == (
        _get(before, "institution", w.ia.pk).participations + 1
    )
    # The other spelling stays unmapped.
    assert _get(after, "unmapped_institution", "Comisaria Y").participations == 1


# ---------------------------------------------------------------------------------------
# Several writes, refreshed together or in small batches
# ---------------------------------------------------------------------------------------


def _many_writes(w: SimpleNamespace) -> None:
    EnrollmentFactory(person=w.p4, cohort=w.k4, region_text="Lima norte")
    Person.objects.filter(pk=w.p2.pk).update(sex=Sex.NOT_RECORDED)
    Score.objects.filter(enrollment=_enrollment(w.p1, w.k2)).update(raw_score=18, percent=90)
    Cohort.objects.filter(pk=w.k1.pk).update(start_date=dt.date(2022, 1, 1))
    Enrollment.objects.filter(pk=_enrollment(w.p6, w.k1).pk).update(person=w.p8)
    _enrollment(w.p5, w.k2).delete()


@pytest.mark.parametrize("batch", [maintenance.BATCH, 1, 2])
def test_many_writes_refreshed_at_once_or_in_batches(world, batch: int) -> None:  # type: ignore[no-untyped-def]
    before = _cells()
    _many_writes(world)
    marks = ReportDirtyPerson.objects.count()
    persons = ReportDirtyPerson.objects.values("person_id").distinct().count()
    processed = report_cells_refresh(batch=batch)
    assert not ReportDirtyPerson.objects.exists()
    # Each batch counts its distinct persons: one batch sees each person once, batches of
    # one mark each see one person per mark.
    assert processed == {maintenance.BATCH: persons, 1: marks}.get(batch, processed)
    assert persons <= processed <= marks
    after = _assert_maintained_equals_rebuild()
    assert after != before
    # K4 (P8, and now P4) and K1 moved to 2022 (P1, P2, P3, and P8 instead of P6).
    assert _get(after, "total", dim="year", at=2022).participations == 6
    assert _get(after, "sex", Sex.NOT_RECORDED).persons == 3  # P2 joins P3 and P8


# ---------------------------------------------------------------------------------------
# Writes that change nothing counted
# ---------------------------------------------------------------------------------------


NO_OP_WRITES: dict[str, Callable[[SimpleNamespace], object]] = {
    "person given names (save)": lambda w: _with(
        Person.objects.get(pk=w.p1.pk), given_names="Ana María"
    ).save(),
    "person phone (bulk)": lambda w: Person.objects.filter(pk=w.p2.pk).update(phone="999"),
    "enrollment repeated_in_roster": lambda w: Enrollment.objects.filter(
        pk=_enrollment(w.p1, w.k1).pk
    ).update(repeated_in_roster=True),
    "cohort label": lambda w: Cohort.objects.filter(pk=w.k1.pk).update(label="A-2023 bis"),
    "course title (save)": lambda w: _with(w.course_a, title="Curso A renombrado").save(),
    "score scale rewritten to the same percent": lambda w: Score.objects.filter(
        enrollment=_enrollment(w.p1, w.k1), phase=Phase.PRE
    ).update(raw_score=25, scale_max=50),
}


def _with(obj: Any, **values: Any) -> Any:
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


@pytest.mark.parametrize("name", list(NO_OP_WRITES))
def test_write_that_changes_nothing_counted_leaves_cells_unchanged(world, name: str) -> None:  # type: ignore[no-untyped-def]
    before_cells, before_facts = _cells(), _facts()
    NO_OP_WRITES[name](world)
    after = _assert_maintained_equals_rebuild()
    assert after == before_cells
    assert _facts() == before_facts


def test_person_update_of_uncounted_fields_marks_nobody(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    person = Person.objects.get(pk=w.p1.pk)
    person.given_names = "Ana Lucía"
    person.save()
    Person.objects.filter(pk=w.p2.pk).update(email="p2@example.org")
    Cohort.objects.filter(pk=w.k1.pk).update(label="otra etiqueta")
    Course.objects.filter(pk=w.course_a.pk).update(title="otro título")
    assert not ReportDirtyPerson.objects.exists()
    # A counted field of the same rows does mark.
    Person.objects.filter(pk=w.p2.pk).update(sex=Sex.FEMALE)
    assert list(ReportDirtyPerson.objects.values_list("person_id", flat=True)) == [w.p2.pk]


# ---------------------------------------------------------------------------------------
# Stored slices against the cells computed from the facts
# ---------------------------------------------------------------------------------------

_SLICE_COLUMN = {dim: column for dim, column in SLICES.items() if dim}
_NUMERIC = {"region", "institution", "course", "year"}


def _slice_where(dim: str, key: str) -> tuple[str, list[Any]]:
    column = _SLICE_COLUMN[dim]
    if dim in _NUMERIC:
        if key == "":
            return f"{column} IS NULL", []
        return f"{column} = %s", [int(key)]
    return f"{column} = %s", [key]


def test_every_stored_slice_equals_the_cells_computed_from_the_facts(world) -> None:  # type: ignore[no-untyped-def]
    # Some writes first, so that the stored slices are maintained ones, not only rebuilt.
    _many_writes(world)
    report_cells_refresh()
    stored = _cells()
    slices = sorted({(dim, key) for dim, key, _, _ in stored})
    dims = {dim for dim, _ in slices}
    assert dims == {"", *_SLICE_COLUMN}
    # An empty slice key (facts with no region) is a slice of its own too.
    assert ("region", "") in slices
    for dim, key in slices:
        where, params = ("1 = 1", []) if dim == "" else _slice_where(dim, key)
        computed = {
            (section, cell_key): _cell_of(values)
            for (_, _, section, cell_key), values in contributions([""], where, params).items()
        }
        kept = {
            (section, cell_key): cell
            for (d, k, section, cell_key), cell in stored.items()
            if (d, k) == (dim, key)
        }
        assert kept == computed, f"slice {dim}={key}"
        assert kept, f"slice {dim}={key} holds no cell"
    assert any(section == "sequence" for _, _, section, _ in stored)


def test_report_cells_reads_a_stored_slice_equal_to_the_computed_one(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    stored = report_cells(ReportFilters(region=w.rb.pk), sequences=50)
    # The same participations (every cohort has a start date) through the on-the-fly path.
    computed = report_cells(
        ReportFilters(region=w.rb.pk, date_from=dt.date(1900, 1, 1), date_to=dt.date(2100, 12, 31)),
        sequences=50,
    )
    assert (stored.stored, computed.stored) == (True, False)
    assert stored.sections == computed.sections
    assert stored.sequences == computed.sequences
    assert stored.cell("total")["participations"] == 5


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ReportFilters(), ("", "")),
        (ReportFilters(region=12), ("region", "12")),
        (ReportFilters(institution=3), ("institution", "3")),
        (ReportFilters(component="protection"), ("component", "protection")),
        (ReportFilters(provider="EMP"), ("provider", "EMP")),
        (
            ReportFilters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)),
            ("year", "2024"),
        ),
        (ReportFilters(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 6, 30)), None),
        (ReportFilters(date_from=dt.date(2024, 1, 2), date_to=dt.date(2024, 12, 31)), None),
        (ReportFilters(date_from=dt.date(2023, 1, 1), date_to=dt.date(2024, 12, 31)), None),
        (ReportFilters(date_from=dt.date(2024, 1, 1)), None),
        (ReportFilters(date_to=dt.date(2024, 12, 31)), None),
        (ReportFilters(region=12, course=4), None),
        (
            ReportFilters(region=12, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)),
            None,
        ),
    ],
    ids=[
        "none",
        "region",
        "institution",
        "component",
        "provider",
        "whole-year",
        "half-year",
        "year-from-jan-2",
        "two-years",
        "open-end",
        "open-start",
        "two-filters",
        "region-and-year",
    ],
)
def test_stored_slice(filters: ReportFilters, expected: tuple[str, str] | None) -> None:
    assert stored_slice(filters) == expected


# ---------------------------------------------------------------------------------------
# Rolled-back writes
# ---------------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _write_then_roll_back(write: Callable[[], object]) -> int:
    """Run `write` in a transaction (a savepoint inside a test's transaction) that then
    fails; returns the dirty marks seen just before it rolled back."""
    marks = -1
    try:
        with transaction.atomic():
            write()
            marks = ReportDirtyPerson.objects.count()
            raise _Rollback
    except _Rollback:
        return marks


def test_rolled_back_write_leaves_no_dirty_mark(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    assert not ReportDirtyPerson.objects.exists()

    def write() -> None:
        EnrollmentFactory(person=w.p4, cohort=w.k1)
        Person.objects.filter(pk=w.p2.pk).update(sex=Sex.OTHER)

    assert _write_then_roll_back(write) == 2  # seen inside the transaction
    assert not ReportDirtyPerson.objects.exists()
    before = _cells()
    assert report_cells_refresh() == 0
    assert _cells() == before


@pytest.mark.django_db(transaction=True)
def test_rolled_back_transaction_leaves_no_dirty_mark(world) -> None:  # type: ignore[no-untyped-def]
    w = world
    assert not ReportDirtyPerson.objects.exists()
    assert not connection.in_atomic_block  # so the write below is a real transaction

    def write() -> None:
        assert not connection.savepoint_ids
        Score.objects.filter(enrollment__person=w.p1).delete()

    assert _write_then_roll_back(write) >= 1
    assert not ReportDirtyPerson.objects.exists()
    # A committed write, by contrast, keeps its mark: here raw SQL, which no signal sees.
    ids = list(Score.objects.filter(enrollment__person=w.p1).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM assessments_score WHERE id IN ({', '.join(['%s'] * len(ids))})",  # noqa: S608
            ids,
        )
    assert set(ReportDirtyPerson.objects.values_list("person_id", flat=True)) == {w.p1.pk}
    _assert_maintained_equals_rebuild()


@pytest.mark.django_db(transaction=True)
def test_a_committed_service_write_brings_the_cells_up_to_date_at_once(world) -> None:  # type: ignore[no-untyped-def]
    """The writer pays: once its transaction commits, the cells are current and no mark
    is left for the next reader."""
    before = _cells()
    with transaction.atomic():
        Score.objects.filter(enrollment__person=world.p1).delete()  # signals: a counted write
    assert not ReportDirtyPerson.objects.exists()
    assert _cells() != before
    _assert_maintained_equals_rebuild()


# ---------------------------------------------------------------------------------------
# A long course sequence
# ---------------------------------------------------------------------------------------


def test_person_with_a_long_course_sequence(world) -> None:  # type: ignore[no-untyped-def]
    """28 participations in a course whose id has 10 digits would make a 307-character key;
    the key keeps the first courses and marks the rest, within the column's 300 characters."""
    course = Course.objects.create(pk=10**9, title="Curso largo", component="prevention")
    start = dt.date(2010, 1, 1)
    for day in range(28):
        cohort = CohortFactory(course=course, start_date=start + dt.timedelta(days=day))
        EnrollmentFactory(person=world.p4, cohort=cohort)
    after = _assert_maintained_equals_rebuild()
    long = [key for _, _, section, key in after if section == "sequence" and key.endswith(">+")]
    assert long
    assert all(len(key) <= 300 for _, _, _, key in after)
    assert all(key.count(">") == SEQUENCE_COURSES for key in long)


# ---------------------------------------------------------------------------------------
# Concurrent refreshes (PostgreSQL)
# ---------------------------------------------------------------------------------------


@pytest.fixture
def slow_refresh_lock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold the maintainer's lock a moment, so that the other refresh really waits on it."""
    take_lock = maintenance._lock

    def lock_then_wait() -> None:
        take_lock()
        time.sleep(0.05)

    monkeypatch.setattr(maintenance, "_lock", lock_then_wait)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [maintenance.BATCH, 1])
def test_concurrent_refreshes_count_each_change_once(
    postgres_only, world, slow_refresh_lock, batch: int
) -> None:  # type: ignore[no-untyped-def]
    before = _cells()
    _many_writes(world)
    alias_map(vocabulary="institution", text="Comisaria Y", entry=world.ib)
    marks = ReportDirtyPerson.objects.count()
    persons = ReportDirtyPerson.objects.values("person_id").distinct().count()
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = report_cells_refresh(batch=batch)
        except Exception as error:  # reported by the assertion below
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a refresh hung"
    assert all(isinstance(result, int) for result in results), results
    # Every mark consumed exactly once between the two, none by both.
    assert sum(results) == (marks if batch == 1 else persons)
    assert not ReportDirtyPerson.objects.exists()
    after = _assert_maintained_equals_rebuild()
    assert after != before


@pytest.mark.django_db(transaction=True)
def test_deferred_commits_leave_the_cells_to_one_refresh_at_the_end(world) -> None:  # type: ignore[no-untyped-def]
    """Batch work (import_rosters) refreshes once after its last file, not per commit."""
    from participants.changes import changes_batched, counted_data_changed

    before = _cells()
    with changes_batched():
        for person in (world.p1, world.p2):
            with transaction.atomic():
                Score.objects.filter(enrollment__person=person).delete()
                counted_data_changed()
        # Committed twice, refreshed never: the marks wait for the end of the block.
        assert set(ReportDirtyPerson.objects.values_list("person_id", flat=True)) == {
            world.p1.pk,
            world.p2.pk,
        }
        assert _cells() == before
    assert not ReportDirtyPerson.objects.exists()
    assert _cells() != before
    _assert_maintained_equals_rebuild()
