from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from courses.models import Enrollment
from participants.models import DuplicateCandidate, Person, Sex
from registry.demo import UNMAPPED_INSTITUTIONS
from registry.reports.completeness import unmapped_spellings
from registry.reports.filters import ReportFilters

pytestmark = pytest.mark.django_db


def test_demo_has_repeat_participants_missing_sex_and_review_pairs(capsys) -> None:
    call_command("load_demo", persons=120, seed=3, admin="demo-admin")
    out = capsys.readouterr().out
    assert "Datos de demostración cargados" in out
    assert "demo-admin / " in out
    assert "demo-admin-analista / " in out
    assert "demo-admin-escuela / " in out

    per_person = Enrollment.objects.values("person").annotate(n=Count("id"))
    assert any(row["n"] >= 2 for row in per_person)
    assert Person.objects.filter(sex=Sex.NOT_RECORDED).exists()
    assert Person.objects.exclude(sex=Sex.NOT_RECORDED).exists()
    assert DuplicateCandidate.objects.count() == 12


def test_demo_is_not_loaded_twice(capsys) -> None:
    call_command("load_demo", persons=30, seed=1)
    count = Person.objects.count()
    call_command("load_demo", persons=30, seed=1)
    assert Person.objects.count() == count
    assert "ya tiene personas" in capsys.readouterr().out


def test_demo_courses_count_toward_the_real_indicators() -> None:
    call_command("load_demo", persons=120, seed=3)
    police = Enrollment.objects.filter(
        cohort__course__title__startswith="Sesiones de aprendizaje sobre trata de niñas, niños "
        "y adolescentes para efectivos policiales"
    )
    assert police.exists()
    assert set(police.values_list("cohort__course__indicators__code", flat=True).distinct()) == {
        "1.2.1.1"
    }
    # Most of the participants of the police sessions are police officers.
    assert police.filter(institution__acronym="PNP").count() * 2 > police.count()
    counted = Enrollment.objects.filter(cohort__course__indicators__isnull=False).distinct()
    measured = Enrollment.objects.filter(cohort__course__knowledge_indicator__isnull=False)
    assert counted.count() > Enrollment.objects.count() * 0.8
    assert measured.filter(scores__isnull=False).exists()


def test_demo_unmapped_spellings_are_only_the_ones_it_means_to_show(  # type: ignore[no-untyped-def]
    capsys, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # what the command's commit does
        call_command("load_demo", persons=300, seed=2024)
    out = capsys.readouterr().out
    assert "Datos de demostración cargados: " in out
    assert "personas" in out
    assert "posibles duplicados por revisar" in out

    spellings = {
        (row["vocabulary"], row["spelling"]) for row in unmapped_spellings(filters=ReportFilters())
    }
    # A role missing from a roster is missing, not a spelling to map ("Fiscal", "Juez").
    assert spellings
    assert spellings <= {("institution", name) for name in UNMAPPED_INSTITUTIONS}
    assert not Enrollment.objects.filter(role__isnull=True).exclude(role_text="").exists()


def test_demo_review_pairs_explain_themselves_in_spanish() -> None:
    call_command("load_demo", persons=120, seed=3)
    reasons = [reason for pair in DuplicateCandidate.objects.all() for reason in pair.reasons]
    assert reasons
    english = ("surname", "given name", "equal", "agrees", "record")
    assert not [reason for reason in reasons if any(word in reason for word in english)]
    assert "apellido paterno coincide" in reasons
