"""A small registry whose every report figure was computed by hand (see the module tests).

Persons (P7 is cancelled, P5m is P5's merged tombstone whose enrollment was moved to P5):

    person sex DNI  enrollments (cohort: institution / role / region; pre % / post %)
    P1     F   yes  K1: IA/R1/RA 50/80   K2: IA/R1/RA 60/60   K3: IB/R2/RB -/-
    P2     M   yes  K1: IA/R1/RA 40/-    K3: "Fiscalia X"/R2/RB -/75
    P3     U   no   K2: IB/-/RB 100/100
    P4     F   yes  K3: IB/R2/"Cuzco city" -/-
    P5     M   yes  K2: IA/R1/RA -/-     K3: IA/R2/RB 70/95 (moved from P5m)
    P6     F   yes  K1: IA/R1/RA -/90
    P7     F   yes  K1 (cancelled person: only in the anonymised total)

Courses: A (prosecution, provider EMP, output indicators T-1 and T-2, its tests measure the
knowledge indicator T-K) with cohorts K1 (2023-03-01) and K2 (2024-05-01); B (protection,
provider CEM, output indicator T-2, no knowledge indicator) with cohort K3 (2024-06-01).
T-1 counts state operators (12 participations reported), T-2 other participants (30
reported); T-K has target 25 % and measurements 24.8 and 30.

Review queue: P3~P6 pending (0.9), P3~P4 pending (0.8), P4~P6 decided different; so
confirming the pending pairs would merge P3 and P6 only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.models import Phase
from courses.models import Indicator, IndicatorKind, IndicatorLevel, ParticipantGroup
from participants.models import (
    Decision,
    DuplicateCandidate,
    Institution,
    PersonStatus,
    Region,
    Role,
    Sector,
    Sex,
)
from tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    PersonFactory,
    ScoreFactory,
)


def _output_indicator(code: str, name: str, group: str, reported: int) -> Indicator:
    return Indicator.objects.create(
        level=IndicatorLevel.OUTPUT,
        code=code,
        kind=IndicatorKind.PARTICIPANTS,
        participant_group=group,
        unit="#",
        name=name,
        text=f"# of participants ({code})",
        reported_participations=reported,
        reported_period="2024-07",
    )


def _pair(a, b, score: float, decision: str) -> None:  # type: ignore[no-untyped-def]
    low, high = sorted([a, b], key=lambda p: p.pk)
    DuplicateCandidate.objects.create(person_a=low, person_b=high, score=score, decision=decision)


@pytest.fixture(autouse=True)
def _exact_figures(settings):  # type: ignore[no-untyped-def]
    """The figures of these modules are checked against hand computations on a registry of
    seven persons, where nearly every count is small: no count is withheld here (k = 1).
    Small-cell suppression has its own tests (tests/reports/disclosure), at the real k."""
    settings.SUPPRESSION_THRESHOLD = 1
    settings.SENSITIVE_SUPPRESSION_THRESHOLD = 1


@pytest.fixture
def registry(db, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    # The test's transaction never commits: running the on-commit callbacks is what the
    # writers' commits do, bringing the report cells up to date with this registry.
    with django_capture_on_commit_callbacks(execute=True):
        ra = Region.objects.create(code="T1", name="Región de prueba A")
        rb = Region.objects.create(code="T2", name="Región de prueba B")
        ia = Institution.objects.create(acronym="TIA", name="Institución A", sector=Sector.JUSTICE)
        ib = Institution.objects.create(acronym="TIB", name="Institución B", sector=Sector.POLICE)
        r1 = Role.objects.create(code="t-fiscal", name="Fiscal de prueba")
        r2 = Role.objects.create(code="t-policia", name="Policía de prueba")
        t1 = _output_indicator("T-1", "Indicador uno", ParticipantGroup.STATE_OPERATORS, 12)
        t2 = _output_indicator("T-2", "Indicador dos", ParticipantGroup.OTHER_PARTICIPANTS, 30)
        tk = Indicator.objects.create(
            level=IndicatorLevel.OUTCOME,
            code="T-K",
            kind=IndicatorKind.KNOWLEDGE,
            unit="%",
            name="Incremento de conocimientos de prueba",
            text="% of knowledge increase (test)",
            baseline=Decimal(0),
            target=Decimal(25),
            measurement_1=Decimal("24.8"),
            measurement_2=Decimal(30),
            reference_period="Junio 2024",
        )
        course_a = CourseFactory(
            title="Curso A", component="prosecution", provider="EMP", knowledge_indicator=tk
        )
        course_b = CourseFactory(title="Curso B", component="protection", provider="CEM")
        course_a.indicators.set([t1, t2])
        course_b.indicators.set([t2])
        k1 = CohortFactory(course=course_a, label="A-2023", start_date=dt.date(2023, 3, 1))
        k2 = CohortFactory(course=course_a, label="A-2024", start_date=dt.date(2024, 5, 1))
        k3 = CohortFactory(course=course_b, label="B-2024", start_date=dt.date(2024, 6, 1))

        p1 = PersonFactory(sex=Sex.FEMALE, given_names="Ana", paternal_surname="Quispe")
        p2 = PersonFactory(sex=Sex.MALE)
        p3 = PersonFactory(sex=Sex.NOT_RECORDED, document_number="")
        p4 = PersonFactory(sex=Sex.FEMALE)
        p5 = PersonFactory(sex=Sex.MALE)
        p6 = PersonFactory(sex=Sex.FEMALE)
        p7 = PersonFactory(sex=Sex.FEMALE, status=PersonStatus.CANCELLED)
        # The tombstone of a person merged into P5 after import: no document of its own now.
        p5m = PersonFactory(
            sex=Sex.MALE, document_number="", status=PersonStatus.MERGED, merged_into=p5
        )

        def enroll(person, cohort, institution=None, role=None, region=None, **text):  # type: ignore[no-untyped-def]
            return EnrollmentFactory(
                person=person,
                cohort=cohort,
                institution=institution,
                role=role,
                region=region,
                **text,
            )

        def scores(enrollment, pre=None, post=None):  # type: ignore[no-untyped-def]
            for phase, raw in ((Phase.PRE, pre), (Phase.POST, post)):
                if raw is not None:
                    ScoreFactory(
                        enrollment=enrollment, phase=phase, raw_score=Decimal(raw), scale_max=20
                    )

        scores(enroll(p1, k1, ia, r1, ra), pre=10, post=16)
        scores(enroll(p1, k2, ia, r1, ra), pre=12, post=12)
        enroll(p1, k3, ib, r2, rb)
        scores(enroll(p2, k1, ia, r1, ra), pre=8)
        scores(enroll(p2, k3, None, r2, rb, institution_text="Fiscalia X"), post=15)
        scores(enroll(p3, k2, ib, None, rb), pre=20, post=20)
        enroll(p4, k3, ib, r2, None, region_text="Cuzco city")
        enroll(p5, k2, ia, r1, ra)
        moved = enroll(p5m, k3, ia, r2, rb)
        scores(moved, pre=14, post=19)
        moved.person = p5  # what the merge service does with the merged person's enrollments
        moved.save()
        scores(enroll(p6, k1, ia, r1, ra), post=18)
        scores(enroll(p7, k1, ia, r1, ra), pre=0, post=20)

        _pair(p3, p6, 0.9, Decision.PENDING)
        _pair(p3, p4, 0.8, Decision.PENDING)
        _pair(p4, p6, 0.7, Decision.DIFFERENT)
    return SimpleNamespace(**locals())
