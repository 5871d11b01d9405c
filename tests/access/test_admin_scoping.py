"""accounts.admin_scoping: list pages, object pages (URL guessing), FK choices, new cohorts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from courses.models import Cohort
from tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.access.scoped_admin_urls")]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="A"), SchoolFactory(acronym="B")
    cohort_a, cohort_b = CohortFactory(school=school_a), CohortFactory(school=school_b)
    alice = PersonFactory(paternal_surname="Alvarado")
    bruno = PersonFactory(paternal_surname="Bustamante")
    enr_a = EnrollmentFactory(person=alice, cohort=cohort_a)
    enr_b = EnrollmentFactory(person=bruno, cohort=cohort_b)
    # Alice also trained with school B: school A must not learn that.
    enr_alice_b = EnrollmentFactory(person=alice, cohort=cohort_b)
    return {
        "school_a": school_a,
        "cohort_a": cohort_a,
        "cohort_b": cohort_b,
        "alice": alice,
        "bruno": bruno,
        "enr_a": enr_a,
        "enr_b": enr_b,
        "enr_alice_b": enr_alice_b,
        "score_b": ScoreFactory(enrollment=enr_b),
    }


@pytest.fixture
def staff_a(client, role_user, world):  # type: ignore[no-untyped-def]
    user = role_user("school", school=world["school_a"])
    client.force_login(user)
    return user


def test_change_lists_hold_only_the_own_school(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    cohorts = client.get(reverse("scoped:courses_cohort_changelist"))
    assert list(cohorts.context["cl"].result_list) == [world["cohort_a"]]
    persons = client.get(reverse("scoped:participants_person_changelist"))
    assert list(persons.context["cl"].result_list) == [world["alice"]]
    assert b"Bustamante" not in persons.content
    enrollments = client.get(reverse("scoped:courses_enrollment_changelist"))
    assert list(enrollments.context["cl"].result_list) == [world["enr_a"]]
    scores = client.get(reverse("scoped:assessments_score_changelist"))
    assert list(scores.context["cl"].result_list) == []


def test_search_cannot_reach_another_school(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        reverse("scoped:participants_person_changelist"), {"q": world["bruno"].document_number}
    )
    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("courses_cohort", "cohort_b"),
        ("participants_person", "bruno"),
        ("courses_enrollment", "enr_b"),
        ("assessments_score", "score_b"),
    ],
)
def test_guessing_another_schools_id_is_a_404(client, staff_a, world, name, key) -> None:  # type: ignore[no-untyped-def]
    obj = world[key]
    for view in ("change", "history"):
        response = client.get(reverse(f"scoped:{name}_{view}", args=[obj.pk]))
        assert response.status_code == 404
    response = client.post(reverse(f"scoped:{name}_change", args=[obj.pk]), {"label": "x"})
    assert response.status_code == 404
    denied = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, object_id=str(obj.pk))
    assert denied.filter(actor=staff_a).exists()


def test_own_person_page_hides_enrollments_with_other_schools(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("scoped:participants_person_change", args=[world["alice"].pk]))
    assert response.status_code == 200
    inline = response.context["inline_admin_formsets"][0]
    assert [form.original for form in inline] == [world["enr_a"]]
    assert world["cohort_b"].label not in response.content.decode()


def test_foreign_key_choices_are_limited(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("scoped:assessments_score_add"))
    choices = list(response.context["adminform"].form.fields["enrollment"].queryset)
    assert choices == [world["enr_a"]]
    response = client.get(reverse("scoped:courses_enrollment_add"))
    assert list(response.context["adminform"].form.fields["cohort"].queryset) == [world["cohort_a"]]
    # The raw-id widget takes a typed id: another school's person is refused on save.
    response = client.post(
        reverse("scoped:courses_enrollment_add"),
        {"person": world["bruno"].pk, "cohort": world["cohort_a"].pk},
    )
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors


def test_a_cohort_created_by_school_staff_belongs_to_their_school(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    course = CourseFactory()
    response = client.get(reverse("scoped:courses_cohort_add"))
    assert list(response.context["adminform"].form.fields["school"].queryset) == [world["school_a"]]
    client.post(
        reverse("scoped:courses_cohort_add"),
        {"course": course.pk, "label": "2026-A1", "school": world["school_a"].pk},
    )
    assert Cohort.objects.get(label="2026-A1").school == world["school_a"]


def test_administrator_sees_all_rows(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    persons = client.get(reverse("scoped:participants_person_changelist"))
    assert len(persons.context["cl"].result_list) == 2
    response = client.get(reverse("scoped:participants_person_change", args=[world["bruno"].pk]))
    assert response.status_code == 200


def test_analyst_gets_no_admin_pages(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("analyst"))
    assert client.get(reverse("scoped:participants_person_changelist")).status_code == 403
    response = client.get(reverse("scoped:participants_person_change", args=[world["bruno"].pk]))
    assert response.status_code == 404
