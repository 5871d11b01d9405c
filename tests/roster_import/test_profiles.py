"""Column profiles: a header mapped once is read the same way in the next files of its owner."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from courses.models import ColumnProfile, Enrollment
from intake.roster_import import roster_import
from intake.roster_import.profiles import (
    ColumnProfileError,
    column_profile_delete,
    column_profile_for,
    column_profile_set,
)
from tests.factories import CohortFactory, CourseFactory, SchoolFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

# A partner's own headers: "Documento nacional" and "Entidad empleadora" are no aliases.
HEADER = [
    "Apellidos y nombres",
    "Documento nacional",
    "Entidad empleadora",
    "Sexo",
    "Observaciones",
]
ROWS = [
    ["Quispe Mamani, Juan Carlos", "40781234", "Policía Nacional del Perú", "M", ""],
    ["Huamán Rojas, Lucía", "47100011", "Ministerio Público", "F", "llegó tarde"],
]


def _import(cohort, name: str = "lista.csv"):  # type: ignore[no-untyped-def]
    return roster_import(file=csv_bytes(ROWS, header=HEADER), file_name=name, cohort=cohort)


def test_a_mapped_header_is_read_in_the_next_file_of_the_same_school(admin_user) -> None:  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    first = CohortFactory(school=school)
    report = _import(first)
    assert [item["header"] for item in report.columns["unread"]] == [
        "Documento nacional",
        "Entidad empleadora",
        "Observaciones",
    ]
    assert not Enrollment.objects.filter(person__document_number="40781234").exists()

    column_profile_set(cohort=first, header="Documento nacional", field="dni", actor=admin_user)
    column_profile_set(
        cohort=first, header="ENTIDAD EMPLEADORA", field="institution", actor=admin_user
    )
    column_profile_set(cohort=first, header="Observaciones", field="ignore", actor=admin_user)

    second = CohortFactory(school=school)  # another course of the same school
    report = _import(second, "lista-2.csv")
    assert report.columns["unread"] == []
    assert [item["remembered"] for item in report.columns["read"]] == [False, True, True, False]
    enrollment = Enrollment.objects.get(cohort=second, person__document_number="40781234")
    assert enrollment.institution_text == "Policía Nacional del Perú"
    assert enrollment.institution is not None
    aside = report.columns["set_aside"]
    assert aside == [
        {
            "reason": "marcada para no importarse en una importación anterior",
            "columns": ["«Observaciones» (E)"],
        }
    ]


def test_another_schools_files_are_not_read_with_it(admin_user) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory()
    column_profile_set(cohort=cohort, header="Documento nacional", field="dni", actor=admin_user)
    elsewhere = CohortFactory(school=SchoolFactory())
    assert column_profile_for(cohort=elsewhere) == {}
    assert "Documento nacional" in [item["header"] for item in _import(elsewhere).columns["unread"]]


def test_mapping_again_changes_the_field_and_both_are_audited(admin_user) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory()
    column_profile_set(cohort=cohort, header="Documento nacional", field="phone", actor=admin_user)
    column_profile_set(cohort=cohort, header="documento NACIONAL", field="dni", actor=admin_user)
    profile = ColumnProfile.objects.get()
    assert (profile.school, profile.header_key, profile.field) == (
        cohort.school,
        "DOCUMENTO NACIONAL",
        "dni",
    )
    assert profile.updated_by == admin_user
    events = AuditEvent.objects.filter(action=AuditAction.COLUMN_MAP).order_by("id")
    assert [event.details for event in events] == [
        {
            "header": "Documento nacional",
            "field": "phone",
            "previous_field": "",
            "owner": cohort.school.acronym,
        },
        {
            "header": "documento NACIONAL",
            "field": "dni",
            "previous_field": "phone",
            "owner": cohort.school.acronym,
        },
    ]
    assert events[0].object_type == "courses.school"


def test_without_a_school_the_course_provider_keeps_the_profile(admin_user) -> None:  # type: ignore[no-untyped-def]
    course = CourseFactory(provider="Escuela del Ministerio Público")
    cohort = CohortFactory(course=course, school=None)
    column_profile_set(cohort=cohort, header="Documento nacional", field="dni", actor=admin_user)
    profile = ColumnProfile.objects.get()
    assert profile.school is None
    assert profile.provider == "ESCUELA DEL MINISTERIO PUBLICO"
    sibling = CohortFactory(course=course, school=None)
    assert column_profile_for(cohort=sibling) == {"DOCUMENTO NACIONAL": "dni"}


def test_a_mapping_needs_an_owner_and_a_known_field(admin_user) -> None:  # type: ignore[no-untyped-def]
    orphan = CohortFactory(course=CourseFactory(provider=""), school=None)
    with pytest.raises(ColumnProfileError):
        column_profile_set(cohort=orphan, header="Documento", field="dni", actor=admin_user)
    with pytest.raises(ColumnProfileError):
        column_profile_set(cohort=CohortFactory(), header="Documento", field="id", actor=admin_user)
    with pytest.raises(ColumnProfileError):
        column_profile_set(cohort=CohortFactory(), header="¿?", field="dni", actor=admin_user)
    assert not ColumnProfile.objects.exists()


def test_the_database_keeps_one_field_per_header_and_owner() -> None:
    school = SchoolFactory()
    ColumnProfile.objects.create(school=school, header_key="DOC", header="Doc", field="dni")
    with pytest.raises(IntegrityError), transaction.atomic():
        ColumnProfile.objects.create(school=school, header_key="DOC", header="doc", field="phone")
    with pytest.raises(IntegrityError), transaction.atomic():
        ColumnProfile.objects.create(
            school=school, provider="EMP", header_key="X", header="X", field="dni"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ColumnProfile.objects.create(header_key="X", header="X", field="dni")
    with pytest.raises(IntegrityError), transaction.atomic():
        ColumnProfile.objects.create(school=school, header_key="Y", header="Y", field="id")


def test_a_deleted_mapping_lists_the_column_as_unread_again(admin_user) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory()
    profile = column_profile_set(
        cohort=cohort, header="Documento nacional", field="dni", actor=admin_user
    )
    column_profile_delete(profile=profile, actor=admin_user)
    assert "Documento nacional" in [item["header"] for item in _import(cohort).columns["unread"]]
    last = AuditEvent.objects.filter(action=AuditAction.COLUMN_MAP).order_by("id").last()
    assert last is not None
    assert (last.details["field"], last.details["previous_field"]) == ("", "dni")


def test_the_admin_shows_profiles_to_registry_administrators_only(admin_user, role_user) -> None:  # type: ignore[no-untyped-def]
    cohort = CohortFactory()
    profile = column_profile_set(
        cohort=cohort, header="Documento nacional", field="dni", actor=admin_user
    )
    url = reverse("admin:courses_columnprofile_changelist")
    administrator = Client()
    administrator.force_login(admin_user)
    page = administrator.get(url)
    assert page.status_code == 200
    assert "Documento nacional" in page.content.decode()
    school_staff = Client()
    school_staff.force_login(role_user("school", school=cohort.school))
    assert school_staff.get(url).status_code == 403
    # Deleted from the admin: through the service, audited.
    deleted = administrator.post(
        reverse("admin:courses_columnprofile_delete", args=[profile.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 302
    assert not ColumnProfile.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.COLUMN_MAP).count() == 2
