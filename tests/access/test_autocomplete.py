"""The admin's autocomplete (accounts.admin_scoping.ScopedAutocompleteJsonView) as school staff.

The walk in test_admin_forms_scoping asks every relation of every model; these tests pin the
answers themselves: which label each person gets, what is refused and what is audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from participants.models import IdentityRecord, RecordSource
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    ImportBatchFactory,
    PersonFactory,
    SchoolFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a, cohort_b = CohortFactory(school=school_a), CohortFactory(school=school_b)
    staff_a = role_user("school", school=school_a)
    batch_b = ImportBatchFactory(cohort=cohort_b)
    # Brought by school B, enrolled later by school A too.
    nancy = PersonFactory(
        given_names="Nancy Yolanda", paternal_surname="Ccahuana", maternal_surname="Rojas"
    )
    EnrollmentFactory(person=nancy, cohort=cohort_b)
    EnrollmentFactory(person=nancy, cohort=cohort_a)
    # Brought by school A as "Quispe"; a roster of school B later spelt the surname its way,
    # and that spelling is the person's now.
    dora = PersonFactory(given_names="Dora", paternal_surname="Quispeb", maternal_surname="")
    EnrollmentFactory(person=dora, cohort=cohort_a)
    IdentityRecord.objects.create(
        person=dora,
        source=RecordSource.REGISTRATION,
        recorded_by=staff_a,
        given_names="Dora",
        paternal_surname="Quispe",
    )
    identity_record_of_row(
        person=dora,
        source=RecordSource.ROSTER_ROW,
        row=SourceRecordFactory(batch=batch_b, person=dora),
        given_names="Dora",
        paternal_surname="Quispeb",
    )
    return {"staff_a": staff_a, "nancy": nancy, "dora": dora}


def _autocomplete(client: Any, field: str = "person", **params: str) -> Any:
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "courses", "model_name": "enrollment", "field_name": field, **params},
    )


def test_a_person_another_school_brought_is_named_by_code_only(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff_a"])
    response = _autocomplete(client, term="")
    assert response.status_code == 200
    results = {result["id"]: result["text"] for result in response.json()["results"]}
    nancy, dora = world["nancy"], world["dora"]
    assert results == {
        str(nancy.pk): f"{nancy.code} ya registrada",
        # The school's own spelling, not the one another school's roster supplied.
        str(dora.pk): f"{dora.code} Quispe, Dora",
    }
    assert b"Ccahuana" not in response.content
    assert b"Quispeb" not in response.content


def test_the_registry_administrator_reads_every_name(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    results = {r["id"]: r["text"] for r in _autocomplete(client, term="").json()["results"]}
    nancy = world["nancy"]
    assert results[str(nancy.pk)] == f"{nancy.code} Ccahuana Rojas, Nancy Yolanda"


def test_a_reverse_relation_is_refused_not_a_server_error(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff_a"])
    client.raise_request_exception = False
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "participants", "model_name": "person", "field_name": "enrollments"},
    )
    assert response.status_code == 403


def test_each_look_up_of_persons_is_audited_without_the_term(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff_a"])
    _autocomplete(client, term="")
    _autocomplete(client, term="41234567")
    events = list(AuditEvent.objects.filter(action=AuditAction.PERSON_LOOKUP).order_by("pk"))
    assert [(event.actor, event.details) for event in events] == [
        (
            world["staff_a"],
            {
                "field": "courses.enrollment.person",
                "page": 1,
                "searched": False,
                "codes": sorted([world["nancy"].code, world["dora"].code]),
            },
        ),
        (
            world["staff_a"],
            {"field": "courses.enrollment.person", "page": 1, "searched": True, "codes": []},
        ),
    ]
    # The term typed (a DNI, a name) never reaches the append-only log.
    assert "41234567" not in json.dumps([event.details for event in events])


def test_a_look_up_of_other_rows_is_not_a_person_look_up(client, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(world["staff_a"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "assessments", "model_name": "score", "field_name": "enrollment"},
    )
    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PERSON_LOOKUP).exists()
