"""The admin's "add person" form: who may use it, and a DNI the registry already holds.

School staff bring persons to the registry through their cohorts' registration pages
(consent, enrollment, the duplicate check); the admin's add form is the registry
administrator's. A document number an active person already has is refused on the field,
with a message that names no one, instead of failing on the database constraint.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from participants.models import Person, PersonStatus
from tests.factories import CohortFactory, EnrollmentFactory, PersonFactory, SchoolFactory

pytestmark = pytest.mark.django_db

REGISTERED_DNI = "45678912"


def _new_person(**changes: str) -> dict[str, str]:
    return {
        "given_names": "Rosa",
        "paternal_surname": "Huamani",
        "maternal_surname": "Tito",
        "sex": "F",
        "document_type": "dni",
        "document_number": "47112233",
        "email": "",
        "phone": "",
        "birth_date": "",
        # The management forms of the page's inlines (all read-only, none sent).
        **{
            f"{prefix}-{count}": "0"
            for prefix in ("enrollments", "source_records", "identity_records")
            for count in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
        **changes,
    }


@pytest.fixture
def registered():  # type: ignore[no-untyped-def]
    """A person another school brought, with the DNI typed below."""
    person = PersonFactory(
        given_names="Brunildoxq", paternal_surname="Bustamantexq", document_number=REGISTERED_DNI
    )
    EnrollmentFactory(person=person, cohort=CohortFactory(school=SchoolFactory(acronym="ESB")))
    return person


@pytest.fixture
def staff_a(client, role_user):  # type: ignore[no-untyped-def]
    user = role_user("school", school=SchoolFactory(acronym="ESA"))
    client.force_login(user)
    client.raise_request_exception = False
    return user


@pytest.mark.parametrize("dni", [REGISTERED_DNI, "47112233"])
def test_school_staff_cannot_add_persons_through_the_admin(
    client, staff_a, registered, dni
) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:participants_person_add")
    assert client.get(url).status_code == 403
    count = Person.objects.count()
    response = client.post(url, _new_person(document_number=dni))
    assert response.status_code == 403
    assert Person.objects.count() == count
    assert b"Bustamantexq" not in response.content


def test_a_permission_granted_by_hand_does_not_open_the_form_to_school_staff(  # type: ignore[no-untyped-def]
    client, staff_a
) -> None:
    staff_a.user_permissions.add(Permission.objects.get(codename="add_person"))
    assert client.get(reverse("admin:participants_person_add")).status_code == 403


def test_the_person_list_offers_school_staff_no_add_button(client, staff_a) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("admin:participants_person_changelist"))
    assert response.status_code == 200
    assert reverse("admin:participants_person_add").encode() not in response.content


def test_the_administrator_is_refused_a_registered_dni_on_the_field(  # type: ignore[no-untyped-def]
    client, role_user, registered
) -> None:
    client.force_login(role_user("admin"))
    client.raise_request_exception = False
    count = Person.objects.count()
    response = client.post(
        reverse("admin:participants_person_add"), _new_person(document_number=REGISTERED_DNI)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["document_number"]
    message = errors["document_number"][0]
    assert message.startswith("Este número de documento ya está registrado")
    # Neither who has it nor where they trained.
    assert registered.code not in message
    assert "Bustamantexq" not in message
    assert "ESB" not in message
    assert Person.objects.count() == count


def test_the_administrator_is_refused_another_persons_dni_on_a_change(  # type: ignore[no-untyped-def]
    client, role_user, registered
) -> None:
    client.force_login(role_user("admin"))
    client.raise_request_exception = False
    other = PersonFactory(given_names="Rosa", paternal_surname="Huamani", maternal_surname="Tito")
    response = client.post(
        reverse("admin:participants_person_change", args=[other.pk]),
        _new_person(document_number=REGISTERED_DNI),
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["document_number"]
    other.refresh_from_db()
    assert other.document_number != REGISTERED_DNI


def test_the_administrator_adds_a_person_with_a_new_dni(client, role_user, registered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    response = client.post(reverse("admin:participants_person_add"), _new_person())
    assert response.status_code == 302
    person = Person.objects.get(document_number="47112233")
    assert (person.paternal_surname, person.status) == ("Huamani", PersonStatus.ACTIVE)


def test_a_person_keeps_their_own_dni_on_a_change(client, role_user, registered) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    response = client.post(
        reverse("admin:participants_person_change", args=[registered.pk]),
        _new_person(
            given_names="Brunildo", paternal_surname="Bustamante", document_number=REGISTERED_DNI
        ),
    )
    assert response.status_code == 302
    registered.refresh_from_db()
    assert registered.paternal_surname == "Bustamante"
