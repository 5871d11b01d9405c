"""Access and cancellation cover consent to follow-up contact and the follow-up surveys."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from accounts.contact_consent import (
    contact_consent_latest,
    contact_consent_record,
    persons_consenting,
)
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from data_requests.access import person_data_export
from data_requests.cancellation import person_cancel
from followup.models import (
    MemberStatus,
    ReportedPost,
    SurveyResponse,
    SurveyWave,
    WaveMember,
    WaveStratum,
)
from participants.models import Institution, PersonStatus
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _wave(name: str, actor) -> tuple[SurveyWave, WaveStratum]:  # type: ignore[no-untyped-def]
    wave = SurveyWave.objects.create(
        name=name, purpose="Saber si aplica lo aprendido.", seed=7, created_by=actor
    )
    stratum = WaveStratum.objects.create(
        wave=wave, key="all", label="Todos", population=1, eligible=1, allocated=1
    )
    return wave, stratum


@pytest.fixture
def surveyed(subject, admin_user):  # type: ignore[no-untyped-def]
    """The subject agreed on the form, answered one wave and waits in another."""
    contact_consent_record(
        person=subject,
        granted=True,
        source=ContactConsentSource.SCHOOL_FORM,
        given_at=timezone.now() - datetime.timedelta(days=40),
        actor=admin_user,
    )
    answered, stratum = _wave("Seguimiento 2027-I", admin_user)
    member = WaveMember.objects.create(
        wave=answered,
        person=subject,
        stratum=stratum,
        token="tok-answered",
        draw_order=1,
        status=MemberStatus.RESPONDED,
    )
    response = SurveyResponse.objects.create(
        member=member,
        answers={"aplica": "sí", "comentario": "Ahora trabajo con Marisol Ccahuana en Huanta"},
        reported={"institution": "Fiscalía de Huanta - M. Ccahuana"},
        responded_on=datetime.date(2027, 3, 1),
        source_file="respuestas.csv",
        source_row=2,
        imported_by=admin_user,
    )
    ReportedPost.objects.create(
        person=subject,
        institution=Institution.objects.first(),
        institution_text="Fiscalía de Huanta - M. Ccahuana",
        role_text="Fiscal adjunta",
        region_text="Ayacucho",
        reported_on=datetime.date(2027, 3, 1),
        response=response,
    )
    waiting, stratum = _wave("Seguimiento 2027-II", admin_user)
    WaveMember.objects.create(
        wave=waiting, person=subject, stratum=stratum, token="tok-waiting", draw_order=1
    )
    return subject


def test_access_report_holds_the_statements_memberships_answers_and_posts(
    surveyed, admin_user
) -> None:  # type: ignore[no-untyped-def]
    tombstone = PersonFactory(status=PersonStatus.MERGED, merged_into=surveyed)
    contact_consent_record(
        person=tombstone,
        granted=False,
        source=ContactConsentSource.ADMIN,
        given_at=timezone.now(),
        text_version="",
        actor=admin_user,
    )
    data = person_data_export(person=surveyed, actor=admin_user)
    statements = data["contact_consents"]
    assert [(s["agrees"], s["source"], s["person_code"]) for s in statements] == [
        (False, "administrador del registro", tombstone.code),
        (True, "formulario de la escuela", surveyed.code),
    ]
    assert statements[1]["text_version"] == "2026-12-v1"
    assert "encuestas de seguimiento" in statements[1]["text"]
    assert "seguimiento" in data["contact_consent_purpose"]
    assert {(m["wave"], m["status"]) for m in data["survey_memberships"]} == {
        ("Seguimiento 2027-I", "respondió"),
        ("Seguimiento 2027-II", "seleccionada"),
    }
    assert data["survey_responses"][0]["answers"]["aplica"] == "sí"
    assert data["reported_posts"][0]["role_as_written"] == "Fiscal adjunta"
    json.dumps(data)
    event = AuditEvent.objects.get(action=AuditAction.DSR_ACCESS)
    assert event.details["sections"]["contact_consents"] == 2
    assert event.details["sections"]["survey_responses"] == 1


def test_cancellation_withdraws_contact_and_erases_the_survey_answers(surveyed, admin_user) -> None:  # type: ignore[no-untyped-def]
    assert persons_consenting([surveyed.pk]) == {surveyed.pk}
    report = person_cancel(person=surveyed, actor=admin_user, reason="Solicitud 2027-014")
    assert persons_consenting([surveyed.pk]) == set()
    latest = contact_consent_latest([surveyed.pk])[surveyed.pk]
    assert (latest.granted, latest.source, latest.recorded_by) == (
        False,
        ContactConsentSource.DATA_REQUEST,
        admin_user,
    )
    # The grant stays as the evidence that past contact was lawful.
    assert ContactConsent.objects.filter(person=surveyed, granted=True).exists()

    response = SurveyResponse.objects.get()
    assert (response.answers, response.reported) == ({}, {})
    post = ReportedPost.objects.get()
    assert (post.institution_text, post.role_text, post.region_text) == ("", "", "")
    assert post.reported_on == datetime.date(2027, 3, 1)
    statuses = dict(WaveMember.objects.values_list("token", "status"))
    assert statuses == {"tok-answered": "responded", "tok-waiting": "withdrawn"}
    assert (
        report.survey_responses,
        report.reported_posts,
        report.survey_members_withdrawn,
    ) == (1, 1, 1)
    withdrawal = AuditEvent.objects.get(
        action=AuditAction.CONTACT_CONSENT, details__source="data_request"
    )
    assert withdrawal.object_code == surveyed.code
    cancel = AuditEvent.objects.get(action=AuditAction.DSR_CANCEL)
    assert cancel.details["survey_responses"] == 1
    assert "Ccahuana" not in json.dumps(cancel.details)


def test_a_survey_file_named_after_the_person_is_renamed(surveyed, admin_user) -> None:  # type: ignore[no-untyped-def]
    SurveyResponse.objects.update(source_file="respuestas Marisol Ccahuana.csv")
    person_cancel(person=surveyed, actor=admin_user, reason="Solicitud 2027-015")
    assert SurveyResponse.objects.get().source_file == "[CANCELADO]"


def test_a_cancellation_that_fails_withdraws_nothing(surveyed, admin_user, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from data_requests import cancellation

    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(cancellation, "admin_log_redact", explode)
    with pytest.raises(RuntimeError):
        person_cancel(person=surveyed, actor=admin_user, reason="Solicitud 2027-016")
    assert persons_consenting([surveyed.pk]) == {surveyed.pk}
    assert SurveyResponse.objects.get().answers["aplica"] == "sí"
