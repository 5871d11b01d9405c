"""The school's own "Importar lista": the admin's steps on the school's cohort page, showing
nothing of other schools' persons, refused for any cohort the school may not import into."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import SchoolMembership
from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment, ImportBatch
from intake.admin_import import SESSION_KEY
from intake.roster_import.restricted_plan import HIDDEN_PERSON
from participants.models import DuplicateCandidate, Person
from tests.factories import (
    CohortFactory,
    CourseFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    UserFactory,
)
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

ROSA_DNI, BRUNO_DNI, CARLA_DNI = "41000001", "41000002", "41000003"
REJECTED_ROW = [9, "", "", "", "40000009", "F", "", "", "", "", "", ""]


@pytest.fixture
def world(role_user) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    # Rosa took an earlier course of school A: the school may see her.
    rosa = PersonFactory(
        given_names="Rosa",
        paternal_surname="Quispe",
        maternal_surname="Luna",
        document_number=ROSA_DNI,
    )
    EnrollmentFactory(person=rosa, cohort=CohortFactory(school=school_a))
    # Bruno and Carla trained only with school B: school A may not see them.
    bruno = PersonFactory(
        given_names="Bruno",
        paternal_surname="Bustamante",
        maternal_surname="Zevallos",
        document_number=BRUNO_DNI,
    )
    carla = PersonFactory(
        given_names="Carla",
        paternal_surname="Ccama",
        maternal_surname="Huaman",
        document_number=CARLA_DNI,
    )
    for person in (bruno, carla):
        EnrollmentFactory(person=person, cohort=CohortFactory(school=school_b))
    return {
        "school_a": school_a,
        "school_b": school_b,
        "cohort": CohortFactory(school=school_a, label="2026-ESA-01"),
        "rosa": rosa,
        "bruno": bruno,
        "carla": carla,
        "staff": role_user("school", school=school_a),
    }


def _rows() -> list[list[object]]:
    return [
        # Rosa's DNI under other names: queued for review with Rosa, whom the school sees.
        [1, "Quispe", "Rojas", "Marisol", ROSA_DNI, "F", "PNP", "", "Cusco", "", 12, 18],
        # Bruno's DNI under invented names: queued too, but read as a new person.
        [2, "Inventado", "Pérez", "Zacarías", BRUNO_DNI, "M", "PNP", "", "Cusco", "", 10, 15],
        # Carla as school B registered her: linked, without her code.
        [3, "Ccama", "Huaman", "Carla", CARLA_DNI, "F", "PNP", "", "Cusco", "", 11, 16],
        [4, "Flores", "Apaza", "Wilber", "41000004", "M", "PNP", "", "Cusco", "", 9, 14],
        REJECTED_ROW,
    ]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(cohort: Any) -> str:
    return reverse("registration:import_roster", args=[cohort.pk])


def test_the_cohort_page_offers_the_import_to_school_staff_with_the_permission(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["staff"])
    page = client.get(reverse("registration:cohort", args=[world["cohort"].pk])).content.decode()
    assert f'href="{_url(world["cohort"])}">Importar lista</a>' in page
    upload_page = client.get(_url(world["cohort"]))
    assert upload_page.status_code == 200
    html = upload_page.content.decode()
    assert 'name="file"' in html
    assert "admin" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_school_previews_imports_the_valid_rows_and_sees_nothing_of_other_schools(
    world, preview_folder
) -> None:  # type: ignore[no-untyped-def]
    cohort, staff = world["cohort"], world["staff"]
    client = _client(staff)
    upload = SimpleUploadedFile("lista-esa.csv", csv_bytes(_rows()))
    preview = client.post(_url(cohort), {"file": upload})
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Vista previa: lista-esa.csv" in html
    assert 'name="valid_only" value="Importar solo las filas válidas"' in html
    assert f'action="{_url(cohort)}"' in html
    assert Person.objects.count() == 3  # nothing written by the preview
    for group in ("linked", "review", "new"):
        token = next(iter(client.session[SESSION_KEY]))
        html += client.get(_url(cohort), {"preview": token, "outcome": group}).content.decode()
    # Other schools' persons: neither their codes nor their names, only that one is registered.
    for hidden in (world["bruno"], world["carla"]):
        assert hidden.code not in html
    assert "Bustamante" not in html
    assert HIDDEN_PERSON in html
    assert world["rosa"].code in html  # the school's own participant may be named

    token = next(iter(client.session[SESSION_KEY]))
    result = client.post(_url(cohort), {"token": token, "valid_only": "1"})
    html = result.content.decode()
    batch = ImportBatch.objects.get(cohort=cohort)
    assert (batch.status, batch.imported_by) == ("partial", staff)
    assert (batch.rows_total, batch.rows_rejected) == (5, 1)
    assert Enrollment.objects.filter(cohort=cohort).count() == 4
    assert not list(preview_folder.glob("*.roster"))
    # Audited as the admin's import is: the same service's event, by the school's user.
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, actor=staff)
    assert event.details["batch"] == batch.pk
    assert event.details["status"] == "partial"
    assert AuditEvent.objects.filter(
        action=AuditAction.PERSON_LOOKUP, actor=staff, details__source="roster_preview"
    ).exists()

    assert "Resultado: lista-esa.csv" in html
    assert "importadas las filas válidas" in html
    assert "confirm" not in html.lower().split("</h2>", 1)[1]
    # Two pairs were queued, but the school learns only of the one with its own participant.
    assert DuplicateCandidate.objects.count() == 2
    assert "1 fila quedó como posible duplicado" in html
    assert "el administrador del registro la revisará" in html
    assert reverse("review:queue") not in html
    assert world["bruno"].code not in html


def test_another_schools_cohort_is_refused_and_the_attempt_audited(world) -> None:  # type: ignore[no-untyped-def]
    other = CohortFactory(school=world["school_b"])
    client = _client(world["staff"])
    assert client.get(_url(other)).status_code == 403
    upload = SimpleUploadedFile("l.csv", csv_bytes(_rows()))
    assert client.post(_url(other), {"file": upload}).status_code == 403
    assert SESSION_KEY not in client.session
    assert ImportBatch.objects.count() == 0
    refusals = AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED, actor=world["staff"])
    assert [event.details["path"] for event in refusals] == [_url(other)] * 2
    # A cohort that does not exist is refused alike: the answer tells nothing of others.
    assert client.get(reverse("registration:import_roster", args=[999999])).status_code == 403


def test_a_sensitive_cohort_only_for_the_school_that_ran_it(world) -> None:  # type: ignore[no-untyped-def]
    course = CourseFactory(title="Atención a sobrevivientes", sensitive=True)
    theirs = CohortFactory(school=world["school_b"], course=course)
    own = CohortFactory(school=world["school_a"], course=course)
    client = _client(world["staff"])
    assert client.get(_url(theirs)).status_code == 403
    assert client.get(_url(own)).status_code == 200


def test_school_staff_without_the_permission_get_no_link_and_a_refusal(world) -> None:  # type: ignore[no-untyped-def]
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(codename="view_cohort"))
    SchoolMembership.objects.create(user=user, school=world["school_a"])
    client = _client(user)
    page = client.get(reverse("registration:cohort", args=[world["cohort"].pk])).content.decode()
    assert "Importar lista" not in page
    assert client.get(_url(world["cohort"])).status_code == 403


def test_a_registry_administrator_imports_in_the_admin_not_here(world, admin_user) -> None:  # type: ignore[no-untyped-def]
    assert _client(admin_user).get(_url(world["cohort"])).status_code == 403
