"""The request pages in the person admin, and auditing of person views and edits there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from participants.models import PersonStatus
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db


def _url(name: str, person) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"admin:participants_person_{name}", args=[person.pk])


@pytest.fixture
def admin_client(client, role_user):  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    return client


def test_access_downloads_json(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    assert admin_client.get(_url("data_access", subject)).status_code == 200
    response = admin_client.post(_url("data_access", subject))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="datos-{subject.code}.json"'
    assert json.loads(response.content)["person"]["code"] == subject.code
    assert AuditEvent.objects.filter(action=AuditAction.DSR_ACCESS).count() == 1


def test_rectify_page(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    data = {
        "given_names": subject.given_names,
        "paternal_surname": subject.paternal_surname,
        "maternal_surname": subject.maternal_surname,
        "sex": subject.sex,
        "document_type": subject.document_type,
        "document_number": subject.document_number,
        "birth_date": "1988-03-14",
        "email": "marisol.nuevo@example.org",
        "phone": subject.phone,
        "reason": "Solicitud 14-2026",
    }
    response = admin_client.post(_url("data_rectify", subject), data)
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.email == "marisol.nuevo@example.org"
    event = AuditEvent.objects.get(action=AuditAction.DSR_RECTIFY)
    assert event.details["fields"] == ["email"]
    assert "marisol" not in json.dumps(event.details)


def test_cancel_page_needs_the_code_typed(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        _url("data_cancel", subject), {"reason": "Solicitud", "confirm_code": "PE-WRONG"}
    )
    assert response.status_code == 200
    subject.refresh_from_db()
    assert subject.status == PersonStatus.ACTIVE
    response = admin_client.post(
        _url("data_cancel", subject), {"reason": "Solicitud", "confirm_code": subject.code}
    )
    assert response.status_code == 302
    subject.refresh_from_db()
    assert subject.status == PersonStatus.CANCELLED


@pytest.mark.parametrize("role", ["analyst", "school"])
def test_other_roles_cannot_use_the_request_pages(client, role_user, subject, role) -> None:  # type: ignore[no-untyped-def]
    school = subject.enrollments.first().cohort.school if role == "school" else None
    client.force_login(
        role_user(role, school=school or (SchoolFactory() if role == "school" else None))
    )
    for name in ("data_access", "data_rectify", "data_cancel"):
        assert client.get(_url(name, subject)).status_code == 403
        assert (
            client.post(
                _url(name, subject), {"reason": "x", "confirm_code": subject.code}
            ).status_code
            == 403
        )
    subject.refresh_from_db()
    assert subject.status == PersonStatus.ACTIVE
    assert not AuditEvent.objects.filter(action=AuditAction.DSR_ACCESS).exists()


def test_person_page_view_is_audited(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.get(_url("change", subject))
    assert response.status_code == 200
    assert "Solicitud de acceso" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERSON_VIEW)
    assert event.object_code == subject.code


def test_person_edit_in_the_admin_is_audited_without_the_values(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    url = _url("change", subject)
    form = admin_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(
        {
            "phone": "999888777",
            "birth_date": "1988-03-14",
            "enrollments-TOTAL_FORMS": "2",
            "enrollments-INITIAL_FORMS": "2",
            "source_records-TOTAL_FORMS": "1",
            "source_records-INITIAL_FORMS": "1",
            "identity_records-TOTAL_FORMS": "0",
            "identity_records-INITIAL_FORMS": "0",
        }
    )
    for i, enrollment in enumerate(subject.enrollments.order_by("cohort", "person")):
        data[f"enrollments-{i}-id"] = enrollment.pk
        data[f"enrollments-{i}-person"] = subject.pk
    data["source_records-0-id"] = subject.source_records.get().pk
    data["source_records-0-person"] = subject.pk
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action=AuditAction.PERSON_EDIT)
    assert event.details == {"fields": ["phone"]}
    assert "956123456" not in json.dumps(event.details)
    # The correction is kept as one more description of the person.
    correction = subject.identity_records.get(source="correction")
    assert correction.phone == "999888777"


def test_cancel_page_explains_a_refused_reason_under_its_field(admin_client, subject) -> None:  # type: ignore[no-untyped-def]
    response = admin_client.post(
        _url("data_cancel", subject),
        {"reason": "Pedido de Marisol Ccahuana", "confirm_code": subject.code},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["reason"]
    assert "no escriba en él nombres, DNI, correo ni teléfono" in errors[0]
    subject.refresh_from_db()
    assert subject.status == PersonStatus.ACTIVE
