"""School pages: each role's allowed and forbidden actions, and cross-school URL guessing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.consent import CURRENT_CONSENT_VERSION
from accounts.models import Consent
from assessments.models import Score
from audit.models import AuditAction, AuditEvent
from courses.models import Cohort, Enrollment
from intake.registration.services.outcomes import RegistrationRefused
from intake.registration.services.registering import participant_register
from participants.models import Decision, DuplicateCandidate, Person, Sex
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "given_names": "Rosa Elena",
        "paternal_surname": "Condori",
        "maternal_surname": "Apaza",
        "dni": "45678901",
        "sex": "F",
        "email": "rosa@example.org",
        "phone": "987 654 321",
        "institution": "",
        "role": "",
        "region": "",
        "consent": "on",
        "consent_version": CURRENT_CONSENT_VERSION,
    }
    data.update(overrides)
    return data


def _register_url(cohort: Cohort) -> str:
    return reverse("registration:register", args=[cohort.pk])


# --- who may use the pages ---------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registration:cohorts"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    matches = client.post(reverse("registration:matches"), {"cohort": world["cohort_a"].pk})
    assert matches.status_code == 302


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_other_roles_are_refused(client, role_user, world, role) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user(role))
    assert client.get(reverse("registration:cohorts")).status_code == 403
    assert client.get(_register_url(world["cohort_a"])).status_code == 403
    response = client.post(
        reverse("registration:matches"), {"cohort": world["cohort_a"].pk, "dni": "41234567"}
    )
    assert response.status_code == 403


def test_staff_see_their_cohorts_only(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registration:cohorts"))
    assert response.status_code == 200
    assert list(response.context["cohorts"]) == [world["cohort_a"]]
    assert "2026-B" not in response.content.decode()


def test_cohort_page_lists_own_participants(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("registration:cohort", args=[world["cohort_a"].pk]))
    assert response.status_code == 200
    assert world["alicia"].code in response.content.decode()


@pytest.mark.parametrize("name", ["cohort", "register", "scores"])
def test_another_schools_cohort_is_a_404_with_nothing_leaked(client, staff_a, world, name) -> None:  # type: ignore[no-untyped-def]
    url = reverse(f"registration:{name}", args=[world["cohort_b"].pk])
    for response in (client.get(url), client.post(url, _form())):
        assert response.status_code == 404
        body = response.content.decode()
        assert world["bruno"].code not in body
        assert "Quispe" not in body
    assert Enrollment.objects.filter(cohort=world["cohort_b"]).count() == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_id=str(world["cohort_b"].pk), actor=staff_a
    ).exists()


def test_nonexistent_cohort_is_the_same_404(client, staff_a) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("registration:cohort", args=[999999])).status_code == 404


# --- cohorts ------------------------------------------------------------------------------


def test_new_cohort_belongs_to_the_staff_school(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    course = CourseFactory()
    response = client.post(
        reverse("registration:cohort_new"),
        {
            "course": course.pk,
            "label": "2026-NUEVA",
            "start_date": "2026-12-01",
            "end_date": "2026-12-05",
            "modality": "in_person",
            "school": world["school_b"].pk,  # ignored: not a field of the form
        },
    )
    cohort = Cohort.objects.get(label="2026-NUEVA")
    assert response.status_code == 302
    assert cohort.school == world["school_a"]
    assert AuditEvent.objects.filter(action=AuditAction.COHORT_CREATE, object_id=str(cohort.pk))


def test_new_cohort_with_dates_reversed_is_refused(client, staff_a) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("registration:cohort_new"),
        {
            "course": CourseFactory().pk,
            "label": "X",
            "start_date": "2026-12-05",
            "end_date": "2026-12-01",
            "modality": "in_person",
        },
    )
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert not Cohort.objects.filter(label="X").exists()


# --- registration -------------------------------------------------------------------------


def test_register_a_new_participant(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(_register_url(world["cohort_a"]), _form())
    assert response.status_code == 302
    person = Person.objects.get(document_number="45678901")
    assert (person.given_names, person.paternal_surname, person.sex) == (
        "Rosa Elena",
        "Condori",
        Sex.FEMALE,
    )
    assert Enrollment.objects.filter(person=person, cohort=world["cohort_a"]).exists()
    consent = Consent.objects.get(person=person)
    assert consent.text_version == CURRENT_CONSENT_VERSION
    assert consent.recorded_by == staff_a
    assert consent.school == world["school_a"]
    assert len(consent.text_sha256) == 64
    actions = set(
        AuditEvent.objects.filter(object_code=person.code).values_list("action", flat=True)
    )
    assert {AuditAction.PERSON_CREATE, AuditAction.ENROLLMENT_CREATE} <= actions


def test_prefer_not_to_say_is_stored_as_not_recorded(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    client.post(_register_url(world["cohort_a"]), _form(sex="N"))
    assert Person.objects.get(document_number="45678901").sex == Sex.NOT_RECORDED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"dni": "1234567"}, "dni"),
        ({"dni": "1234567A"}, "dni"),
        ({"consent": ""}, "consent"),
        ({"paternal_surname": ""}, "paternal_surname"),
        ({"sex": ""}, "sex"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(client, staff_a, world, overrides, field) -> None:  # type: ignore[no-untyped-def]
    before = Person.objects.count()
    response = client.post(_register_url(world["cohort_a"]), _form(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.count() == before
    assert not Consent.objects.exists()


def test_existing_dni_enrolls_the_existing_person_without_a_duplicate(
    client, staff_a, world
) -> None:  # type: ignore[no-untyped-def]
    bruno = world["bruno"]
    before = Person.objects.count()
    response = client.post(
        _register_url(world["cohort_a"]),
        _form(
            given_names="Bruno",
            paternal_surname="QUISPE",
            maternal_surname="",
            dni="41234567",
            email="otro@example.org",
        ),
        follow=True,
    )
    assert Person.objects.count() == before
    assert Enrollment.objects.filter(person=bruno, cohort=world["cohort_a"]).exists()
    bruno.refresh_from_db()
    assert bruno.email == "bruno@example.org"  # a school never overwrites registry data
    assert "sin crear un duplicado" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.ENROLLMENT_CREATE, object_code=bruno.code)
    assert event.details["existing_person"] is True


def test_existing_dni_under_other_names_reads_as_a_new_registration(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    bruno = world["bruno"]
    unknown = client.post(
        _register_url(world["cohort_a"]),
        _form(given_names="Pedro", paternal_surname="Salas", dni="49999999"),
        follow=True,
    ).content.decode()
    response = client.post(
        _register_url(world["cohort_a"]),
        _form(given_names="Tomás", paternal_surname="Salas", dni="41234567"),
        follow=True,
    )
    body = response.content.decode()
    # The school is answered in the same words as for a DNI nobody holds.
    assert _message(body).replace("Tomás", "Pedro") == _message(unknown)
    assert "ya figura" not in body
    assert "Quispe" not in body
    assert bruno.code not in body
    # A new person without the DNI, which stays Bruno's; Bruno gains nothing from it.
    tomas = Person.objects.get(given_names="Tomás", paternal_surname="Salas")
    assert tomas.document_number == ""
    assert not bruno.identity_records.filter(given_names="Tomás").exists()
    assert not Enrollment.objects.filter(person=bruno, cohort=world["cohort_a"]).exists()
    # The registry administrators review the pair, with the DNI the school typed.
    pair = DuplicateCandidate.objects.get(decision=Decision.PENDING)
    assert {pair.person_a_id, pair.person_b_id} == {tomas.pk, bruno.pk}
    assert "DNI escrito: 41234567" in " ".join(pair.reasons)


def test_a_registry_administrator_is_refused_a_dni_under_other_names(role_user, world) -> None:  # type: ignore[no-untyped-def]
    # Administrators see every person: for them a refusal says nothing new, and is clearer.
    admin = role_user("admin")
    with pytest.raises(RegistrationRefused, match="No se pudo registrar a la persona"):
        participant_register(
            actor=admin,
            cohort=world["cohort_a"],
            given_names="Pedro",
            paternal_surname="Salas",
            dni="41234567",
        )
    assert not Person.objects.filter(paternal_surname="Salas").exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.PERMISSION_DENIED, object_code=world["bruno"].code, actor=admin
    ).exists()


def _message(body: str) -> str:
    """The page's success message, the only text that differs between registrations."""
    found = re.search(r'<li class="success"[^>]*>(.*?)</li>', body, re.S)
    assert found, body[:2000]
    return re.sub(r"PE-[0-9A-Z]{8}", "PE-XXXXXXXX", found.group(1)).strip()


def test_registering_the_same_person_twice_in_a_cohort_is_refused(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    client.post(_register_url(world["cohort_a"]), _form())
    response = client.post(_register_url(world["cohort_a"]), _form())
    assert response.status_code == 200
    assert "ya está inscrita en esta cohorte" in response.content.decode()
    assert Enrollment.objects.filter(person__document_number="45678901").count() == 1


# --- duplicate hints ----------------------------------------------------------------------


def test_matches_only_accepts_post(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("registration:matches")
    assert client.get(url, {"cohort": world["cohort_a"].pk, "dni": "41234567"}).status_code == 405


def test_matches_for_a_visible_person(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("registration:matches"),
        {"cohort": world["cohort_a"].pk, "given": "Alicia", "paternal": "Huaman", "dni": ""},
    )
    data = response.json()
    assert data["matches"][0]["code"] == world["alicia"].code
    assert data["registered_elsewhere"] is False


def test_matches_for_another_schools_person_reveal_nothing(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("registration:matches"),
        {"cohort": world["cohort_a"].pk, "given": "Bruno", "paternal": "Quispe", "dni": "41234567"},
    )
    assert response.json() == {"matches": [], "registered_elsewhere": True}
    body = response.content.decode()
    assert world["bruno"].code not in body
    assert "Quispe" not in body


def test_matches_refuse_another_schools_cohort(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("registration:matches"), {"cohort": world["cohort_b"].pk, "given": "Bruno"}
    )
    assert response.status_code == 404


# --- scores -------------------------------------------------------------------------------


def test_enter_pre_and_post_scores(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    enrollment = Enrollment.objects.get(person=world["alicia"], cohort=world["cohort_a"])
    url = reverse("registration:scores", args=[world["cohort_a"].pk])
    response = client.post(
        url, {"scale_max": "20", f"pre_{enrollment.pk}": "8", f"post_{enrollment.pk}": "16.5"}
    )
    assert response.status_code == 302
    scores = {s.phase: s for s in Score.objects.filter(enrollment=enrollment)}
    assert scores["pre"].percent == Decimal("40.00")
    assert scores["post"].raw_score == Decimal("16.5")
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.SCORE_EDIT, object_code=world["alicia"].code
        ).count()
        == 2
    )


def test_the_sheet_counts_only_the_scores_it_changed(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    """Resubmitting the sheet with one new score says one, not every score it shows."""
    enrollment = Enrollment.objects.get(person=world["alicia"], cohort=world["cohort_a"])
    url = reverse("registration:scores", args=[world["cohort_a"].pk])
    client.post(url, {"scale_max": "20", f"pre_{enrollment.pk}": "8"}, follow=True)
    response = client.post(
        url,
        {"scale_max": "20", f"pre_{enrollment.pk}": "8", f"post_{enrollment.pk}": "15"},
        follow=True,
    )
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Se guardó 1 puntaje nuevo o cambiado."]
    again = client.post(
        url,
        {"scale_max": "20", f"pre_{enrollment.pk}": "8", f"post_{enrollment.pk}": "15"},
        follow=True,
    )
    assert [str(message) for message in again.context["messages"]] == ["No cambió ningún puntaje."]
    assert AuditEvent.objects.filter(action=AuditAction.SCORE_EDIT).count() == 2


def test_the_cohort_page_shows_a_score_as_written(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    enrollment = Enrollment.objects.get(person=world["alicia"], cohort=world["cohort_a"])
    url = reverse("registration:scores", args=[world["cohort_a"].pk])
    client.post(
        url, {"scale_max": "20", f"pre_{enrollment.pk}": "12", f"post_{enrollment.pk}": "16.5"}
    )
    page = client.get(reverse("registration:cohort", args=[world["cohort_a"].pk])).content.decode()
    assert "12/20" in page
    assert "16.50/20" in page
    assert "12.00/20.00" not in page


def test_score_above_the_scale_is_refused(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    enrollment = Enrollment.objects.get(person=world["alicia"], cohort=world["cohort_a"])
    url = reverse("registration:scores", args=[world["cohort_a"].pk])
    response = client.post(url, {"scale_max": "20", f"pre_{enrollment.pk}": "25"})
    assert response.status_code == 200
    assert not Score.objects.exists()


def test_scores_form_cannot_touch_another_schools_enrollment(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    other = Enrollment.objects.get(person=world["bruno"])
    url = reverse("registration:scores", args=[world["cohort_a"].pk])
    client.post(url, {"scale_max": "20", f"pre_{other.pk}": "10"})
    assert not Score.objects.filter(enrollment=other).exists()


def test_registration_page_uses_no_external_resources(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    body = client.get(_register_url(world["cohort_a"])).content.decode()
    assert "http://" not in body
    assert "https://" not in body
    assert "//cdn" not in body
    assert 'name="viewport"' in body
    assert "registration.js" in body


# --- look-ups by school staff: audited and limited ------------------------------------


def test_a_hint_is_audited_without_what_was_typed(client, staff_a, world) -> None:  # type: ignore[no-untyped-def]
    client.post(
        reverse("registration:matches"),
        {"cohort": world["cohort_a"].pk, "given": "Bruno", "paternal": "Quispe", "dni": "41234567"},
    )
    event = AuditEvent.objects.get(action=AuditAction.PERSON_LOOKUP, actor=staff_a)
    assert event.details["source"] == "registration_hint"
    assert event.details["matched"] == [world["bruno"].code]
    assert event.details["shown"] == []
    assert event.details["registered_elsewhere"] is True
    assert "41234567" not in str(event.details)
    assert "Quispe" not in str(event.details)


def test_hints_past_the_hourly_budget_are_refused(client, staff_a, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCHOOL_LOOKUP_LIMITS = {**settings.SCHOOL_LOOKUP_LIMITS, "registration_hint": 2}
    query = {"cohort": world["cohort_a"].pk, "given": "Bruno", "paternal": "Quispe"}
    url = reverse("registration:matches")
    assert client.post(url, query).status_code == 200
    assert client.post(url, query).status_code == 200
    refused = client.post(url, query)
    assert refused.status_code == 429
    assert "límite de consultas" in refused.json()["error"]
    assert AuditEvent.objects.filter(action=AuditAction.PERSON_LOOKUP).count() == 2


def test_registrations_past_the_hourly_budget_are_refused(client, staff_a, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SCHOOL_LOOKUP_LIMITS = {**settings.SCHOOL_LOOKUP_LIMITS, "registration": 1}
    client.post(
        _register_url(world["cohort_a"]),
        _form(given_names="Pedro", paternal_surname="Salas", dni="41234567"),
    )
    response = client.post(_register_url(world["cohort_a"]), _form())
    assert "límite de consultas" in response.content.decode()
    assert not Person.objects.filter(paternal_surname="Condori").exists()
