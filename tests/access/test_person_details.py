"""A link never opens another school's personal data
(accounts.access.personal_data.persons_as_seen_by).

School B registers a person with DNI, e-mail and phone. School A imports a roster row with the
same names and e-mail and no DNI: the row links (the registry counts one person) and the
person is enrolled in A's cohort, yet A's staff see nothing school B supplied - the code and
what A's own row said (its names and e-mail), "oculto" for B's DNI and phone - on every page
they have: the import preview and result, the admin's person list, page, history and find
page, the enrollment form, and the /schools/ pages.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.access.personal_data import HIDDEN, REGISTERED_ELSEWHERE, person_as_seen_by
from accounts.consent import CURRENT_CONSENT_VERSION
from courses.models import Enrollment
from intake.registration.services.registering import participant_register
from intake.roster_import import roster_import
from participants.models import Person
from tests.factories import CohortFactory, EnrollmentFactory, SchoolFactory

pytestmark = pytest.mark.django_db

# Distinctive synthetic values, so that any of them in a page is a leak and not a chance.
GIVEN, PATERNAL, MATERNAL = "Gumercindaxq", "Huarcayaxq", "Quillahuamanxq"
DNI, EMAIL, PHONE = "45671234", "gumer.xq@example.org", "987654111"
SECRETS = [DNI, EMAIL, PHONE]
# What only school B supplied: school A's own roster row gave the names, sex and e-mail.
B_ONLY = [DNI, PHONE]
HEADER = "N°,Apellido paterno,Apellido materno,Nombres,DNI,Sexo,Correo,Celular"


def _roster(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


A_ROW = f"1,{PATERNAL},{MATERNAL},{GIVEN},,F,{EMAIL},"


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _leaks(text: str, values: list[str]) -> list[str]:
    return [value for value in values if value in text]


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    school_a, school_b = SchoolFactory(acronym="ESA"), SchoolFactory(acronym="ESB")
    cohort_a = CohortFactory(school=school_a, label="2026-CUSCO")
    cohort_b = CohortFactory(school=school_b, label="2025-PUNO")
    staff_a = role_user("school", school=school_a)
    staff_b = role_user("school", school=school_b)
    registered = participant_register(
        actor=staff_b,
        cohort=cohort_b,
        given_names=GIVEN,
        paternal_surname=PATERNAL,
        maternal_surname=MATERNAL,
        sex="F",
        dni=DNI,
        email=EMAIL,
        phone=PHONE,
    )
    return {
        "school_a": school_a,
        "cohort_a": cohort_a,
        "cohort_b": cohort_b,
        "staff_a": staff_a,
        "staff_b": staff_b,
        "person": registered.person,
    }


@pytest.fixture
def linked(world):  # type: ignore[no-untyped-def]
    """School A's import of the row; returns the admin pages' preview and result HTML."""
    client = _client(world["staff_a"])
    url = reverse("admin:courses_cohort_import_roster", args=[world["cohort_a"].pk])
    preview = client.post(url, {"file": SimpleUploadedFile("lista.csv", _roster(A_ROW))})
    assert preview.status_code == 200
    token = preview.context["confirm_form"].initial["token"]
    result = client.post(url, {"token": token, "confirm": "1"})
    assert result.status_code == 200
    return {"preview": preview.content.decode(), "result": result.content.decode()}


def test_the_row_links_to_the_one_person(world, linked) -> None:  # type: ignore[no-untyped-def]
    assert Person.objects.count() == 1
    assert Enrollment.objects.filter(person=world["person"], cohort=world["cohort_a"]).exists()


def test_import_preview_and_result_show_nothing_school_b_supplied(world, linked) -> None:  # type: ignore[no-untyped-def]
    for html in (linked["preview"], linked["result"]):
        assert _leaks(html, SECRETS) == []


def test_admin_person_pages_show_only_the_schools_own_values(world, linked) -> None:  # type: ignore[no-untyped-def]
    person = world["person"]
    client = _client(world["staff_a"])
    listing = client.get(reverse("admin:participants_person_changelist")).content.decode()
    assert person.code in listing
    assert _leaks(listing, B_ONLY) == []
    for view in ("change", "history"):
        url = reverse(f"admin:participants_person_{view}", args=[person.pk])
        response = client.get(url)
        assert response.status_code == 200
        assert _leaks(response.content.decode(), B_ONLY) == []
    page = client.get(reverse("admin:participants_person_change", args=[person.pk]))
    html = page.content.decode()
    # The name and e-mail as school A's roster wrote them; B's DNI and phone are "oculto",
    # never "no registrado" (the registry holds them).
    assert f"{PATERNAL} {MATERNAL}, {GIVEN}" in html
    assert EMAIL in html
    seen = page.context["adminform"].form.instance
    assert seen.hidden_fields == {"document_number", "document_type", "phone"}
    assert html.count(HIDDEN) >= 3
    # A filter on a withheld value, typed into the URL, would tell it.
    changelist = reverse("admin:participants_person_changelist")
    for lookup in ({"document_number": DNI}, {"sex__exact": "F"}, {"email__contains": "xq"}):
        response = client.get(changelist, lookup)
        assert response.status_code == 400 or person.code not in response.content.decode()


def test_nothing_of_its_own_is_ya_registrada_and_a_hidden_sex_is_oculto(world, role_user) -> None:  # type: ignore[no-untyped-def]
    """A's registration by DNI (names and DNI typed, no sex) links to B's person: A reads
    its own names and DNI; B's sex, e-mail and phone are hidden, not "No registrado"."""
    enroll_a = participant_register(
        actor=world["staff_a"],
        cohort=world["cohort_a"],
        given_names=GIVEN,
        paternal_surname=PATERNAL,
        dni=DNI,
    )
    assert enroll_a.existing_person
    seen = person_as_seen_by(world["staff_a"], world["person"])
    assert (seen.given_names, seen.paternal_surname, seen.maternal_surname) == (
        GIVEN,
        PATERNAL,
        "",
    )
    assert seen.document_number == DNI
    assert {"sex", "email", "phone", "maternal_surname"} <= seen.hidden_fields
    page = _client(world["staff_a"]).get(
        reverse("admin:participants_person_change", args=[world["person"].pk])
    )
    html = page.content.decode()
    assert "No registrado" not in html
    assert HIDDEN in html
    assert _leaks(html, [EMAIL, PHONE, MATERNAL]) == []
    # A school with no record of the person of its own reads only "ya registrada".
    other = SchoolFactory(acronym="ESC")
    staff_c = role_user("school", school=other)
    EnrollmentFactory(person=world["person"], cohort=CohortFactory(school=other, label="2026-C"))
    assert person_as_seen_by(staff_c, world["person"]).seen_name == REGISTERED_ELSEWHERE


def test_find_page_does_not_confirm_the_other_schools_dni(world, linked) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["staff_a"])
    response = client.post(reverse("admin:participants_person_find"), {"dni": DNI})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="person-find-none"' in html
    assert world["person"].code not in html


def test_enrollment_form_labels_the_person_by_code_and_own_values(world, linked) -> None:  # type: ignore[no-untyped-def]
    enrollment = Enrollment.objects.get(person=world["person"], cohort=world["cohort_a"])
    client = _client(world["staff_a"])
    for response in (
        client.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk])),
        client.get(reverse("admin:courses_enrollment_add"), {"person": world["person"].pk}),
    ):
        assert response.status_code == 200
        assert _leaks(response.content.decode(), B_ONLY) == []


def test_school_pages_show_the_name_as_the_school_wrote_it(world, linked) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["staff_a"])
    cohort = world["cohort_a"]
    for name in ("cohort", "scores"):
        html = client.get(reverse(f"registration:{name}", args=[cohort.pk])).content.decode()
        assert world["person"].code in html
        assert f"{PATERNAL} {MATERNAL}, {GIVEN}" in html
        assert "ya registrada por otra escuela" in html
        assert _leaks(html, B_ONLY) == []
    hint = client.post(
        reverse("registration:matches"),
        {"cohort": cohort.pk, "given": GIVEN, "paternal": PATERNAL, "maternal": "", "dni": ""},
    ).json()
    assert [match["name"] for match in hint["matches"]] == [f"{PATERNAL} {MATERNAL}, {GIVEN}"]
    # Neither the engine's reasons nor its probability: they speak of B's values too.
    assert [(m["reasons"], m["probability"]) for m in hint["matches"]] == [([], "")]
    assert _leaks(str(hint), B_ONLY) == []


def test_a_registration_by_dni_also_stays_ya_registrada(world) -> None:  # type: ignore[no-untyped-def]
    client = _client(world["staff_a"])
    cohort = world["cohort_a"]
    response = client.post(
        reverse("registration:register", args=[cohort.pk]),
        {
            "given_names": GIVEN,
            "paternal_surname": PATERNAL,
            "maternal_surname": "",
            "dni": DNI,
            "sex": "F",
            "email": "",
            "phone": "",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Person.objects.count() == 1
    assert Enrollment.objects.filter(person=world["person"], cohort=cohort).exists()
    html = response.content.decode()
    assert _leaks(html, [EMAIL, PHONE, MATERNAL]) == []
    page = client.get(reverse("admin:participants_person_change", args=[world["person"].pk]))
    assert _leaks(page.content.decode(), [EMAIL, PHONE, MATERNAL]) == []


def test_the_school_that_registered_still_reads_everything(world, linked, role_user) -> None:  # type: ignore[no-untyped-def]
    person = world["person"]
    seen = person_as_seen_by(world["staff_b"], person)
    assert (seen.document_number, seen.email, seen.phone) == (DNI, EMAIL, PHONE)
    assert seen.full_name == person.full_name
    page = _client(world["staff_b"]).get(
        reverse("admin:participants_person_change", args=[person.pk])
    )
    assert DNI in page.content.decode()
    admin_page = _client(role_user("admin")).get(
        reverse("admin:participants_person_change", args=[person.pk])
    )
    assert all(value in admin_page.content.decode() for value in SECRETS)


def test_another_schools_later_values_are_withheld_from_the_first(world) -> None:  # type: ignore[no-untyped-def]
    """School A registers Rosa without a phone; B's roster row (same DNI and names) adds
    one: the person now shows it, but A still reads only what A supplied."""
    rosa = participant_register(
        actor=world["staff_a"],
        cohort=world["cohort_a"],
        given_names="Rosaurixq",
        paternal_surname="Ccahuanaxq",
        dni="47001234",
    ).person
    report = roster_import(
        file=_roster("1,Ccahuanaxq,,Rosaurixq,47001234,F,,955000111"),
        file_name="b.csv",
        cohort=world["cohort_b"],
        actor=world["staff_b"],
    )
    assert [row.outcome for row in report.rows] == ["linked"]
    rosa.refresh_from_db()
    assert rosa.phone.replace(" ", "").endswith("955000111")
    seen = person_as_seen_by(world["staff_a"], rosa)
    assert (seen.full_name, seen.document_number, seen.phone) == (rosa.full_name, "47001234", "")
    page = _client(world["staff_a"]).get(
        reverse("admin:participants_person_change", args=[rosa.pk])
    )
    html = page.content.decode()
    assert "Ccahuanaxq" in html
    assert rosa.phone not in html


def test_a_seen_copy_is_never_saved(world, linked) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    seen = person_as_seen_by(world["staff_a"], world["person"])
    assert seen.details_withheld
    with pytest.raises(PermissionDenied):
        seen.save()
    world["person"].refresh_from_db()
    assert world["person"].document_number == DNI
