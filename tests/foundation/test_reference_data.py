from __future__ import annotations

import pytest
from django.core.management import call_command

from courses.models import Course, Enrollment
from courses.vocabulary_mapping import alias_map
from participants.models import Institution, Region, Role
from participants.vocabularies import resolve
from tests.factories import EnrollmentFactory

pytestmark = pytest.mark.django_db


def _unmapped_institutions() -> set[str]:
    return set(
        Enrollment.objects.filter(institution__isnull=True)
        .exclude(institution_text="")
        .values_list("institution_text", flat=True)
    )


def test_regions_cover_the_departments_and_lima_callao_split() -> None:
    names = set(Region.objects.values_list("name", flat=True))
    assert len(names) == 27
    assert {"Lima Metropolitana", "Lima Provincias", "Callao", "Madre de Dios"} <= names


@pytest.mark.parametrize("spelling", ["MP", "Fiscalía", "MINISTERIO PUBLICO", "ministerio público"])
def test_institution_aliases_resolve_to_one_entry(spelling: str) -> None:
    assert resolve("institution", spelling) == Institution.objects.get(acronym="MP").pk


def test_role_and_region_aliases() -> None:
    assert resolve("role", "FISCAL ADJUNTA") == Role.objects.get(code="prosecutor").pk
    assert resolve("region", "Cuzco") == Region.objects.get(name="Cusco").pk
    assert resolve("region", "Atlantis") is None


def test_courses_report_to_indicators() -> None:
    assert Course.objects.count() >= 12
    course = Course.objects.get(title__startswith="Investigación y persecución")
    # Prosecutors' learning: they count toward 1.2.1.2 and their tests measure its outcome.
    assert set(course.indicators.values_list("code", "level")) == {("1.2.1.2", "output")}
    assert course.knowledge_indicator is not None
    assert (course.knowledge_indicator.code, course.knowledge_indicator.level) == (
        "1.2.1.2",
        "outcome",
    )


def test_reference_loader_is_idempotent() -> None:
    before = (Region.objects.count(), Institution.objects.count(), Role.objects.count())
    call_command("load_reference_data", verbosity=0)
    assert (Region.objects.count(), Institution.objects.count(), Role.objects.count()) == before


def test_an_unknown_spelling_is_kept_and_can_be_mapped_later() -> None:
    kept = EnrollmentFactory(institution=None, institution_text="Fiscalía Mixta de Tambopata")
    other = EnrollmentFactory(institution=None, institution_text="FISCALIA MIXTA DE TAMBOPATA")
    assert _unmapped_institutions() == {
        "Fiscalía Mixta de Tambopata",
        "FISCALIA MIXTA DE TAMBOPATA",
    }

    fistrap = Institution.objects.get(acronym="FISTRAP")
    updated = alias_map(vocabulary="institution", text="Fiscalia mixta de Tambopata", entry=fistrap)

    assert updated == 2
    assert set(
        Enrollment.objects.filter(pk__in=[kept.pk, other.pk]).values_list("institution", flat=True)
    ) == {fistrap.pk}
    assert resolve("institution", "FISCALÍA MIXTA DE TAMBOPATA") == fistrap.pk
    assert _unmapped_institutions() == set()


def test_mapping_a_spelling_is_audited() -> None:
    from audit.models import AuditAction, AuditEvent

    EnrollmentFactory(institution=None, institution_text="Red de Salud Norte")
    minsa = Institution.objects.get(acronym="MINSA")
    alias_map(vocabulary="institution", text="Red de Salud Norte", entry=minsa)
    event = AuditEvent.objects.get(action=AuditAction.ALIAS_MAP)
    assert event.details == {
        "vocabulary": "institution",
        "spelling": "RED DE SALUD NORTE",
        "enrollments_updated": 1,
    }
