"""Every table the dashboard and the downloads publish, attacked: for several filter
combinations on the demo and on generated registries, a linear program over everything the
published report shows (its numbers, its "< 5" and "x" marks, and every sum a reader can add
up) must leave each withheld small count its range."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from assessments.models import Phase
from courses.models import Indicator
from participants.models import Institution, Region, Sector, Sex
from registry.reports.disclosure.engine import AtMost, Sum
from registry.reports.disclosure.layout import report_layout
from registry.reports.disclosure.publish import (
    DISCLOSURE_KEY,
    RANKED,
    disclosure_scope,
    is_withheld,
    report_withheld,
)
from registry.reports.filters import ReportFilters
from registry.reports.selectors import report_build
from tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    PersonFactory,
    ScoreFactory,
)
from tests.reports.disclosure.attack import attack


def _attacked(filters: ReportFilters) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the true report, the published one), after checking the attack finds nothing and
    that every sum the attack relies on holds in the true figures."""
    report = report_build(filters=filters)
    published = report_withheld(copy.deepcopy(report), filters=filters)
    layout = report_layout(copy.deepcopy(report), disclosure_scope(filters))
    for relation in layout.relations:
        if isinstance(relation, Sum):
            members = sum(m.value for m in relation.members)
            total = relation.total.value
            holds = (
                members == total
                if relation.exact
                else members <= total
                if relation.at_least
                else members >= total
            )
            assert holds, relation.total.label
        elif isinstance(relation, AtMost):
            assert relation.low.value <= relation.high.value, relation.low.label
    assert attack(published, layout) == []
    assert published[DISCLOSURE_KEY]["exposed"] == 0
    # A table ranked by size lists its withheld rows last: left in its rank, a row's
    # place would tell its size.
    for path, ranked_by, grouped_by in RANKED:
        rows: Any = published
        for step in path:
            rows = rows.get(step, []) if isinstance(rows, dict) else []
        for before, after in itertools.pairwise(rows):
            if grouped_by and before.get(grouped_by) != after.get(grouped_by):
                continue
            assert not (is_withheld(before[ranked_by]) and not is_withheld(after[ranked_by]))
    return report, published


def _withheld(rows: list[dict[str, Any]], key: str) -> int:
    return sum(is_withheld(row[key]) for row in rows)


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", persons=150, seed=11)


DEMO_FILTERS = [
    {},
    {"year": "2023"},
    {"sex": Sex.FEMALE},
    {"component": "protection"},
]


def test_the_demo_reports_withhold_what_could_identify(demo) -> None:  # type: ignore[no-untyped-def]
    # One demo for every view: loading it is most of the cost.
    for params in DEMO_FILTERS:
        report, published = _attacked(ReportFilters.from_params(params))
        assert published[DISCLOSURE_KEY]["small"] > 0, params
        if not params:
            # The headline figures of the whole demo are far above k: shown as they are.
            assert published["unique_persons"] == report["unique_persons"]
            assert published["participations"] == report["participations"]
    region = Region.objects.order_by("code").first()
    assert region is not None
    _attacked(ReportFilters(region=region.pk))
    sensitive = Indicator.objects.get(code="2.4.3.7").courses.first()
    assert sensitive is not None
    _, published = _attacked(ReportFilters(course=sensitive.pk))
    # The whole report is about a survivors' course: every count uses the higher threshold.
    marks = {row["unique_persons"] for row in published["by_region"]}
    assert all(not isinstance(m, str) or m in {"< 10", "x"} for m in marks)


def _generated(seed: int, persons: int) -> None:
    """A registry drawn at random: several courses (one sensitive) in two years, persons
    taking one to three cohorts, a third of them with scores."""
    rng = random.Random(seed)
    regions = [Region.objects.create(code=f"G{n}", name=f"Región {n}") for n in range(6)]
    institutions = [
        Institution.objects.create(acronym=f"GI{n}", name=f"Inst {n}", sector=Sector.JUSTICE)
        for n in range(5)
    ]
    courses = [
        CourseFactory(
            title=f"Curso generado {n}",
            component=rng.choice(["prosecution", "protection", "prevention"]),
            provider=rng.choice(["EMP", "CEM", "OIT"]),
            sensitive=n == 0,
        )
        for n in range(6)
    ]
    cohorts = [
        CohortFactory(
            course=course,
            label=f"G-{n}",
            start_date=dt.date(rng.choice([2023, 2024]), rng.randint(1, 12), 1),
        )
        for n, course in enumerate(courses * 2)
    ]
    for _ in range(persons):
        person = PersonFactory(sex=rng.choice([Sex.FEMALE, Sex.MALE, Sex.NOT_RECORDED]))
        for cohort in rng.sample(cohorts, rng.choice([1, 1, 2, 3])):
            enrollment = EnrollmentFactory(
                person=person,
                cohort=cohort,
                region=rng.choice(regions),
                institution=rng.choice(institutions),
            )
            if rng.random() < 0.35:
                for phase in (Phase.PRE, Phase.POST):
                    ScoreFactory(
                        enrollment=enrollment,
                        phase=phase,
                        raw_score=Decimal(rng.randint(5, 20)),
                        scale_max=Decimal(20),
                    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_registries(db, django_capture_on_commit_callbacks, seed) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        _generated(seed, persons=70)
    _, everything = _attacked(ReportFilters())
    _attacked(ReportFilters(sex=Sex.FEMALE))
    _attacked(ReportFilters.from_params({"year": "2024"}))
    # The sensitive course's row is held to the higher threshold.
    sensitive = [row for row in everything["by_course"] if row["label"] == "Curso generado 0"]
    assert sensitive
    assert sensitive[0]["unique_persons"] != "< 5"
