"""Every admin add and change form, walked as school staff with another school's ids.

The walk iterates the admin site's registry, so a ModelAdmin added later is covered without
touching this file. For each model it sends every foreign-key and many-to-many field of the
model another school's row (or any row, for models without personal data), as GET query
parameters (the admin's way of pre-filling a form) and as POST data (a re-rendered form after
a validation error shows the widgets again), and checks that nothing of the other school's
person or cohort appears in the answer and that nothing was saved pointing at them.

The admin's autocomplete answers for any relation field of any model, whether or not an admin
lists it in `autocomplete_fields`: the walk asks it for every relation of every installed
model (the registered ones and the rest), on the first and the second page of results, and
checks that a person another school brought is named by code only, while the school's own
participants keep their names.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse

from accounts.models import Consent, SchoolMembership
from assessments.models import Score
from courses.models import Cohort, Enrollment, ImportBatch, School, SourceRecord
from participants.models import (
    DuplicateCandidate,
    IdentityRecord,
    MergeRecord,
    Person,
    RecordSource,
)
from tests.factories import (
    CohortFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    ImportBatchFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
    SourceRecordFactory,
    UserFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db

# Distinctive synthetic values of school B's participant: any of them in a page is a leak.
BRUNO = {
    "given_names": "Brunildoxq",
    "paternal_surname": "Bustamantexq",
    "maternal_surname": "Zevallosxq",
    "document_number": "41234567",
    "email": "brunildo.xq@example.org",
    "phone": "987111222",
}
COHORT_B_LABEL = "2025-PUNOXQ"
# A participant school B brought to the registry whom school A later enrolled too: school A
# sees the person's row, and reads nothing of it but the code.
NANCY = {
    "given_names": "Nancyxq Yolandaxq",
    "paternal_surname": "Ccahuanaxq",
    "maternal_surname": "Rojasxq",
    "document_number": "42345678",
    "email": "nancy.xq@example.org",
    "phone": "987333444",
}
# More of school A's own participants than one page of autocomplete results (20).
OWN_PERSONS = 22


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a = CohortFactory(school=school_a, label="2026-CUSCO")
    cohort_b = CohortFactory(school=school_b, label=COHORT_B_LABEL)
    alice = PersonFactory(given_names="Alicia", paternal_surname="Alvarado")
    bruno = PersonFactory(**BRUNO)
    enr_a = EnrollmentFactory(person=alice, cohort=cohort_a)
    enr_b = EnrollmentFactory(person=bruno, cohort=cohort_b)
    batch_b = ImportBatchFactory(cohort=cohort_b)
    record_b = SourceRecordFactory(batch=batch_b, person=bruno, enrollment=enr_b)
    identity_record_of_row(
        person=bruno,
        source=RecordSource.ROSTER_ROW,
        row=record_b,
        given_names=BRUNO["given_names"],
        paternal_surname=BRUNO["paternal_surname"],
        dni=BRUNO["document_number"],
    )
    staff_b = role_user("school", school=school_b)
    Consent.objects.create(
        person=bruno,
        cohort=cohort_b,
        school=school_b,
        given_at="2025-01-01T00:00Z",
        text_version="v1",
        text_sha256="0" * 64,
        recorded_by=staff_b,
    )
    nancy = PersonFactory(**NANCY)
    EnrollmentFactory(person=nancy, cohort=cohort_b)
    identity_record_of_row(
        person=nancy,
        source=RecordSource.ROSTER_ROW,
        row=SourceRecordFactory(batch=batch_b, person=nancy),
        given_names=NANCY["given_names"],
        paternal_surname=NANCY["paternal_surname"],
        maternal_surname=NANCY["maternal_surname"],
        dni=NANCY["document_number"],
        email=NANCY["email"],
        phone=NANCY["phone"],
    )
    EnrollmentFactory(person=nancy, cohort=cohort_a)
    own_persons = [alice]
    for number in range(OWN_PERSONS - 1):
        own_person = PersonFactory(given_names="Propia", paternal_surname=f"Escuelaa{number}")
        EnrollmentFactory(person=own_person, cohort=cohort_a)
        own_persons.append(own_person)
    other = PersonFactory(paternal_surname="Otrosxq", document_number="")
    EnrollmentFactory(person=other, cohort=cohort_b)
    pair = DuplicateCandidateFactory(person_a=other, person_b=PersonFactory(document_number=""))
    foreign: dict[type[models.Model], models.Model] = {
        Person: bruno,
        Cohort: cohort_b,
        School: school_b,
        Enrollment: enr_b,
        Score: ScoreFactory(enrollment=enr_b),
        ImportBatch: batch_b,
        SourceRecord: record_b,
        DuplicateCandidate: pair,
        SchoolMembership: SchoolMembership.objects.get(user=staff_b),
    }
    own: dict[type[models.Model], models.Model] = {
        Person: alice,
        Cohort: cohort_a,
        Enrollment: enr_a,
        Score: ScoreFactory(enrollment=enr_a),
    }
    UserFactory()  # a user row for user foreign keys that has no school at all
    return {
        "school_a": school_a,
        "bruno": bruno,
        "nancy": nancy,
        "own_persons": own_persons,
        "foreign": foreign,
        "own": own,
    }


def _forbidden(world: dict[str, Any]) -> list[str]:
    return [world["bruno"].code, *BRUNO.values(), *NANCY.values(), COHORT_B_LABEL, "Otrosxq"]


def _foreign_id(world: dict[str, Any], model: type[models.Model]) -> str | None:
    obj = world["foreign"].get(model) or model._default_manager.order_by("-pk").first()
    return None if obj is None else str(obj.pk)


def _relation_params(world: dict[str, Any], model: type[models.Model]) -> dict[str, str]:
    """Every forward foreign key / many-to-many of `model` -> another school's id."""
    params: dict[str, str] = {}
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete and (field.many_to_one or field.many_to_many)):
            continue
        if field.one_to_one and not field.many_to_one:
            continue
        related_id = _foreign_id(world, field.related_model)
        if related_id is not None:
            params[field.name] = related_id
    # MergeRecord and a few others point at persons twice: every one of them is covered above.
    return params


def _relation_names(model: type[models.Model]) -> list[str]:
    """Every relation of `model` the autocomplete accepts as `field_name`: foreign keys,
    one-to-one and many-to-many fields, and the reverse sides of other models' relations."""
    return sorted(field.name for field in model._meta.get_fields() if field.is_relation)


def _autocomplete(client: Any, model: type[models.Model], name: str, page: int) -> Any:
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": name,
            "term": "",
            "page": str(page),
        },
    )


def _admin_url(model: type[models.Model], view: str, *args: Any) -> str | None:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
    except NoReverseMatch:
        return None


def _leaks(text: str, forbidden: list[str]) -> list[str]:
    return [value for value in forbidden if value and value in text]


def test_every_admin_form_hides_and_refuses_other_schools_rows(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("school", school=world["school_a"]))
    forbidden = _forbidden(world)
    counts = {model: model._default_manager.count() for model in (Enrollment, Score, Cohort)}
    walked: list[str] = []
    found: dict[str, list[str]] = {}
    assert {Score, MergeRecord} <= set(admin.site._registry)
    for model in admin.site._registry:
        params = _relation_params(world, model)
        urls = [_admin_url(model, "add")]
        target = world["own"].get(model) or world["foreign"].get(model)
        if target is None:
            target = model._default_manager.first()
        if target is not None:
            urls.append(_admin_url(model, "change", target.pk))
        for url in filter(None, urls):
            walked.append(url)
            for method in ("get", "post"):
                response = getattr(client, method)(url, params)
                text = response.content.decode(errors="replace")
                if leaked := _leaks(text, forbidden):
                    found[f"{method.upper()} {url}"] = leaked
    assert len(walked) > 20
    assert found == {}
    # Nothing was accepted: no row was added, and the own rows still point where they did.
    assert {model: model._default_manager.count() for model in counts} == counts
    enrollment = Enrollment.objects.get(pk=world["own"][Enrollment].pk)
    assert (enrollment.person, enrollment.cohort) == (world["own"][Person], world["own"][Cohort])
    assert Score.objects.get(pk=world["own"][Score].pk).enrollment == enrollment


def test_every_autocomplete_names_persons_as_seen_by_the_school(  # type: ignore[no-untyped-def]
    client, role_user, world
) -> None:
    client.force_login(role_user("school", school=world["school_a"]))
    forbidden = _forbidden(world)
    nancy = world["nancy"]
    # A crafted request is answered (403 or 404), never with a server error.
    client.raise_request_exception = False
    person_labels: dict[str, set[str]] = {}  # "app.Model.field" -> the labels of persons
    found: dict[str, list[str]] = {}
    errors: dict[str, int] = {}
    asked = 0
    models_walked = {*admin.site._registry, *apps.get_models()}
    assert {Enrollment, Consent, IdentityRecord, MergeRecord} <= models_walked
    for model in sorted(models_walked, key=lambda m: m._meta.label):
        for name in _relation_names(model):
            for page in (1, 2):
                response = _autocomplete(client, model, name, page)
                asked += 1
                where = f"{model._meta.label}.{name}"
                if leaked := _leaks(response.content.decode(errors="replace"), forbidden):
                    found[f"{where} page {page}"] = leaked
                if response.status_code >= 500:
                    errors[f"{where} page {page}"] = response.status_code
                if (
                    response.status_code == 200
                    and model._meta.get_field(name).related_model is Person
                ):
                    person_labels.setdefault(where, set()).update(
                        (result["id"], result["text"]) for result in response.json()["results"]
                    )
    assert asked > 100
    assert (found, errors) == ({}, {})
    # Every relation to persons lists the same ones, the same way: the person school B
    # brought (school A enrolled them too) by code only, and school A's own participants,
    # on both pages, by code and name.
    assert {"courses.Enrollment.person", "accounts.Consent.person"} <= set(person_labels)
    expected = {(str(nancy.pk), f"{nancy.code} ya registrada")} | {
        (str(own.pk), f"{own.code} {own.full_name}") for own in world["own_persons"]
    }
    assert {where: labels for where, labels in person_labels.items() if labels != expected} == {}


@pytest.mark.parametrize(
    ("url_name", "field", "key"),
    [
        ("courses_enrollment_add", "person", Person),
        ("courses_enrollment_add", "cohort", Cohort),
        ("assessments_score_add", "enrollment", Enrollment),
    ],
)
def test_raw_id_widgets_do_not_label_another_schools_row(  # type: ignore[no-untyped-def]
    client, role_user, world, url_name, field, key
) -> None:
    client.force_login(role_user("school", school=world["school_a"]))
    foreign = world["foreign"][key]
    response = client.get(reverse(f"admin:{url_name}"), {field: foreign.pk})
    assert response.status_code == 200
    assert _leaks(response.content.decode(), _forbidden(world)) == []


def test_a_rejected_post_does_not_label_the_foreign_person(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("school", school=world["school_a"]))
    own = world["own"][Enrollment]
    response = client.post(
        reverse("admin:courses_enrollment_change", args=[own.pk]),
        {"person": world["bruno"].pk, "cohort": own.cohort_id},
    )
    assert response.status_code == 200
    assert "person" in response.context["adminform"].form.errors
    assert _leaks(response.content.decode(), _forbidden(world)) == []
    own.refresh_from_db()
    assert own.person == world["own"][Person]


def test_own_rows_keep_their_labels(client, role_user, world) -> None:  # type: ignore[no-untyped-def]
    """The scoping hides other schools' rows, not the school's own."""
    client.force_login(role_user("school", school=world["school_a"]))
    alice = world["own"][Person]
    response = client.get(reverse("admin:courses_enrollment_add"), {"person": alice.pk})
    assert alice.code in response.content.decode()
    response = client.get(
        reverse("admin:assessments_score_add"), {"enrollment": world["own"][Enrollment].pk}
    )
    assert "2026-CUSCO" in response.content.decode()
