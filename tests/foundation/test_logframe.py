"""The logframe as reference data: loaded from fixtures/reference/ through the loader."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import Sum

from courses.models import (
    COURSE_INDICATORS,
    KNOWLEDGE_INDICATORS,
    Course,
    Indicator,
    IndicatorKind,
    IndicatorLevel,
    ParticipantGroup,
)
from registry import reference_data
from registry.logframe import OUTCOME_FILE, LogframeError
from registry.reference_data import REFERENCE_DIR, load_reference_data
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

OUTPUT = IndicatorLevel.OUTPUT
OUTCOME = IndicatorLevel.OUTCOME


def _codes(course: Course) -> set[str]:
    return set(course.indicators.values_list("code", flat=True))


def test_logframe_loads_with_the_published_counts() -> None:
    counts = load_reference_data(apps, parts=("indicators",))
    assert counts == {"indicators": 34 + 24}
    participants = Indicator.objects.filter(level=OUTPUT, kind=IndicatorKind.PARTICIPANTS)
    assert participants.count() == 24
    for_courses = Indicator.objects.filter(COURSE_INDICATORS)
    assert for_courses.count() == 21
    assert for_courses.aggregate(n=Sum("reported_participations"))["n"] == 15_468
    state = for_courses.filter(participant_group=ParticipantGroup.STATE_OPERATORS)
    assert state.aggregate(n=Sum("reported_participations"))["n"] == 13_167
    workshops = participants.filter(participant_group=ParticipantGroup.WORKSHOP_PARTICIPANTS)
    assert workshops.aggregate(n=Sum("reported_participations"))["n"] == 94 + 303 + 4337
    assert Indicator.objects.filter(level=OUTCOME).count() == 34
    assert Indicator.objects.filter(KNOWLEDGE_INDICATORS).count() == 8
    assert Indicator.objects.filter(level=OUTCOME, kind=IndicatorKind.SURVEY).count() == 2
    assert set(participants.values_list("reported_period", flat=True)) == {"2024-07"}


def test_indicators_carry_the_published_values_and_both_texts() -> None:
    knowledge = Indicator.objects.get(level=OUTCOME, code="1.2.1.2")
    assert knowledge.kind == IndicatorKind.KNOWLEDGE
    assert knowledge.text.startswith("% of knowledge increase among prosecutors and Judges")
    assert knowledge.name.startswith("% de incremento de conocimientos de fiscales y jueces")
    assert (knowledge.unit, knowledge.baseline, knowledge.target) == ("%", 0, 25)
    assert knowledge.measurements() == [Decimal("24.8"), Decimal("26.3"), Decimal("30.0"), None]
    assert knowledge.latest_measurement() == Decimal("30.0")
    assert knowledge.reference_period == "Junio 2024"
    # The same code names an output indicator counting other people.
    police = Indicator.objects.get(level=OUTPUT, code="1.2.1.1")
    assert police.reported_participations == 709
    assert police.name.startswith("N.º de efectivos policiales")
    assert (police.component, Indicator.objects.get(level=OUTPUT, code="2.2.1.2").component) == (
        "prosecution",
        "protection",
    )
    assert Indicator.objects.get(level=OUTCOME, code="3.2.1.3").component == "prevention"
    assert not Indicator.objects.filter(name="").exists()
    assert not Indicator.objects.filter(text="").exists()


def test_the_invented_indicators_are_gone() -> None:
    invented = ["1.1.1", "2.1.1", "2.1.2", "3.1.1", "3.1.2"]
    assert not Indicator.objects.filter(code__in=invented).exists()
    assert Indicator.objects.count() == 58


def test_reference_courses_cover_every_course_and_knowledge_indicator() -> None:
    uncovered = Indicator.objects.filter(COURSE_INDICATORS, courses__isnull=True)
    assert list(uncovered.values_list("code", flat=True)) == []
    unmeasured = Indicator.objects.filter(KNOWLEDGE_INDICATORS, measuring_courses__isnull=True)
    assert list(unmeasured.values_list("code", flat=True)) == []
    judges = Course.objects.get(title__startswith="Sesiones de aprendizaje para jueces")
    assert _codes(judges) == {"1.2.1.3"}
    care = Course.objects.get(title__startswith="Atención informada sobre el trauma y manejo")
    assert (_codes(care), care.knowledge_indicator.code) == ({"2.2.1.2"}, "2.2.1.1")


def test_reloading_keeps_the_links_an_administrator_set() -> None:
    course = Course.objects.get(title__startswith="Técnicas especiales de investigación")
    course.indicators.set(Indicator.objects.filter(level=OUTPUT, code="1.2.2.2"))
    course.knowledge_indicator = Indicator.objects.get(level=OUTCOME, code="1.2.1.2")
    course.save()
    load_reference_data(apps)
    course.refresh_from_db()
    assert (_codes(course), course.knowledge_indicator.code) == ({"1.2.2.2"}, "1.2.1.2")
    load_reference_data(apps, parts=("courses",), relink_courses=True)
    course.refresh_from_db()
    assert (_codes(course), course.knowledge_indicator) == ({"1.2.1.1"}, None)


def _copy_fixtures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, copy)
    monkeypatch.setattr(reference_data, "REFERENCE_DIR", copy)
    return copy


def _edit_outcomes(path: Path, code: str, **values: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    for row in rows:
        if row["code"] == code:
            row.update(values)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header or [])
        writer.writeheader()
        writer.writerows(rows)


def test_a_new_measurement_is_a_data_change(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = _copy_fixtures(tmp_path, monkeypatch)
    _edit_outcomes(copy / OUTCOME_FILE, "1.2.1.2", measurement_4="33.5", reference_period="2025")
    load_reference_data(apps, parts=("indicators",))
    indicator = Indicator.objects.get(level=OUTCOME, code="1.2.1.2")
    assert (indicator.measurement_4, indicator.reference_period) == (Decimal("33.5"), "2025")
    assert Indicator.objects.count() == 58  # updated in place


def test_an_indicator_without_a_spanish_name_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = _copy_fixtures(tmp_path, monkeypatch)
    with (copy / OUTCOME_FILE).open("a", encoding="utf-8", newline="") as handle:
        handle.write("9.9.9.9,New indicator,other,,#,0,1,,,,,,\r\n")
    with pytest.raises(LogframeError, match=r"9\.9\.9\.9 no tiene nombre en español"):
        load_reference_data(apps, parts=("indicators",))


def test_a_course_cannot_count_toward_a_workshop_indicator(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    copy = _copy_fixtures(tmp_path, monkeypatch)
    (copy / "courses.json").write_text(
        '[{"title": "Conferencia", "component": "prosecution", "provider": "EMP", '
        '"indicators": ["1.3.1.4"]}]',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"indicador 1\.3\.1\.4"):
        load_reference_data(apps, parts=("courses",))


def test_retiring_keeps_an_administrators_links_meaningful() -> None:
    """The data migration, run on the state it found: the seven invented indicators, one
    course of a school linked to three of them."""
    migration = import_module("courses.migrations.0006_logframe_indicators_data")
    Course.objects.update(knowledge_indicator=None)
    Indicator.objects.all().delete()
    invented = {
        code: Indicator.objects.create(
            level=OUTPUT, kind=IndicatorKind.PARTICIPANTS, unit="#", code=code, name=code
        )
        for code in migration.RETIRED
    }
    own = CourseFactory(title="Curso propio de una escuela")
    # Invented 1.2.1.1 counted judges, 2.1.2 health staff, 3.1.2 labour inspectors.
    own.indicators.set([invented["1.2.1.1"], invented["2.1.2"], invented["3.1.2"]])
    joint = CourseFactory(title="Curso conjunto")
    joint.indicators.set([invented["1.2.1.2"]])  # police officers and prosecutors
    reference = Course.objects.get(title__startswith="Investigación y persecución")
    reference.indicators.set([invented["1.1.1"]])

    migration.forwards(apps, None)

    assert _codes(own) == {"1.2.1.3", "2.3.1.2"}
    assert _codes(joint) == {"1.2.1.1", "1.2.1.2"}
    assert all(i.level == OUTPUT for i in own.indicators.all())
    assert _codes(reference) == {"1.2.1.2"}  # a reference course: as courses.json says
    reference.refresh_from_db()
    assert reference.knowledge_indicator is not None
    assert reference.knowledge_indicator.code == "1.2.1.2"
    assert Indicator.objects.count() == 58
