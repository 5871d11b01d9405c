"""No personal data in URLs: the Person changelist searches codes only; DNI/names go by POST."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from registry.admin.persons import PersonAdmin
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

FIND_URL = "admin:participants_person_find"


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    alicia = PersonFactory(
        given_names="Alicia Rosa",
        paternal_surname="Huamán",
        maternal_surname="Quispe",
        document_number="43210987",
    )
    alicia_2 = PersonFactory(
        given_names="Alicia", paternal_surname="Huaman", maternal_surname="Torres"
    )
    bruno = PersonFactory(given_names="Bruno", paternal_surname="Bustamante")
    EnrollmentFactory(person=alicia, cohort=CohortFactory(school=school_a))
    EnrollmentFactory(person=alicia_2, cohort=CohortFactory(school=school_a))
    EnrollmentFactory(person=bruno, cohort=CohortFactory(school=school_b))
    return {
        "alicia": alicia,
        "alicia_2": alicia_2,
        "bruno": bruno,
        "admin": role_user("admin"),
        "staff_a": role_user("school", school=school_a),
        "analyst": role_user("analyst"),
    }


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_changelist_search_is_by_exact_code_only(world) -> None:  # type: ignore[no-untyped-def]
    assert PersonAdmin.search_fields == ("=code",)
    client = _client(world["admin"])
    changelist = reverse("admin:participants_person_changelist")
    by_code = client.get(changelist, {"q": world["alicia"].code}).content.decode()
    assert world["alicia"].code in by_code
    assert world["alicia_2"].code not in by_code
    by_dni = client.get(changelist, {"q": world["alicia"].document_number}).content.decode()
    assert world["alicia"].code not in by_dni
    by_name = client.get(changelist, {"q": "Huamán"}).content.decode()
    assert world["alicia"].code not in by_name


def test_changelist_links_to_the_find_page(world) -> None:  # type: ignore[no-untyped-def]
    page = _client(world["admin"]).get(reverse("admin:participants_person_changelist"))
    assert reverse(FIND_URL) in page.content.decode()


def test_find_by_dni_redirects_to_the_person_by_id(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["admin"])
    response = client.post(reverse(FIND_URL), {"dni": "43.210.987"})
    assert response.status_code == 302
    target = reverse("admin:participants_person_change", args=[world["alicia"].pk])
    assert response["Location"] == target
    assert "43210987" not in response["Location"]
    assert client.get(target).status_code == 200
    # Nothing personal reached the audit log through the search or the URL.
    audit_text = " ".join(
        f"{event.object_id} {event.object_code} {event.details}"
        for event in AuditEvent.objects.all()
    )
    assert "43210987" not in audit_text
    assert "Huam" not in audit_text


def test_find_by_names_lists_the_matches_in_the_post_response(world) -> None:  # type: ignore[no-untyped-def]
    response = _client(world["admin"]).post(
        reverse(FIND_URL), {"paternal_surname": "HUAMAN", "given_names": "alicia"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert world["alicia"].code in html
    assert world["alicia_2"].code in html
    assert world["bruno"].code not in html
    assert "no-store" in response["Cache-Control"]


def test_find_narrows_by_maternal_surname_and_reports_no_match(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["admin"])
    response = client.post(
        reverse(FIND_URL), {"paternal_surname": "Huaman", "maternal_surname": "Torres"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{world['alicia_2'].pk}/change/")
    nothing = client.post(reverse(FIND_URL), {"paternal_surname": "Zzyzx"})
    assert 'id="person-find-none"' in nothing.content.decode()


def test_find_needs_a_dni_or_a_surname_and_a_valid_dni(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["admin"])
    empty = client.post(reverse(FIND_URL), {"given_names": "Alicia"})
    assert "Indique el DNI" in empty.content.decode()
    bad = client.post(reverse(FIND_URL), {"dni": "12ab"})
    assert "El DNI debe tener 8 dígitos." in bad.content.decode()
    assert client.get(reverse(FIND_URL)).status_code == 200


def test_school_staff_find_only_their_own_participants(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["staff_a"])
    own = client.post(reverse(FIND_URL), {"dni": world["alicia"].document_number})
    assert own.status_code == 302
    other = client.post(reverse(FIND_URL), {"dni": world["bruno"].document_number})
    assert other.status_code == 200
    html = other.content.decode()
    assert world["bruno"].code not in html
    assert 'id="person-find-none"' in html


def test_analysts_may_not_use_the_find_page(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["analyst"])
    assert client.post(reverse(FIND_URL), {"dni": "43210987"}).status_code == 403
