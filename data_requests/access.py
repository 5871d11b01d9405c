"""Right of access: everything the registry holds about one person, as one JSON document."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from accounts.consent import CONTACT_CONSENT_TEXTS, GUARDIAN_CONSENT_TEXTS
from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from courses.models import SourceRecord
from data_requests.common import RECTIFIABLE_FIELDS, json_ready, with_tombstones
from participants.models import MergeRecord, Person

CONTACT_CONSENT_PURPOSE = (
    "Contactar a la persona después de la capacitación para invitarla a encuestas de "
    "seguimiento; sus respuestas se usan solo para evaluar la capacitación y elaborar "
    "estadísticas. La aceptación es voluntaria y puede retirarse en cualquier momento."
)
PERSON_EXPORT_FIELDS = ("code", "status", *RECTIFIABLE_FIELDS, "created_at", "updated_at")


def person_data_export(
    *, person: Person, actor: Any, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything held about `person` (and the tombstones merged into them), JSON-ready."""
    from accounts.contact_consent import contact_consent_statements
    from accounts.guardian_consent import guardian_consents_of
    from accounts.models import Consent
    from assessments.models import Score
    from courses.models import Enrollment
    from followup.models import ReportedPost, SurveyResponse, WaveMember

    persons = with_tombstones(person)
    ids = [p.pk for p in persons]
    enrollments = (
        Enrollment.objects.filter(person_id__in=ids)
        .select_related("cohort__course", "cohort__school", "institution", "role", "region")
        .order_by("cohort__start_date", "pk")
    )
    scores = Score.objects.filter(enrollment__person_id__in=ids).order_by("enrollment", "phase")
    records = (
        SourceRecord.objects.filter(Q(person_id__in=ids) | Q(enrollment__person_id__in=ids))
        .select_related("batch")
        .distinct()
        .order_by("batch", "row_number")
    )
    merges = MergeRecord.objects.filter(
        Q(survivor_id__in=ids) | Q(merged_id__in=ids)
    ).select_related("survivor", "merged")
    consents = Consent.objects.filter(person_id__in=ids).select_related("school", "cohort")
    contact_consents = contact_consent_statements(person)
    guardian_consents = guardian_consents_of(person)
    memberships = (
        WaveMember.objects.filter(person_id__in=ids)
        .select_related("wave", "person")
        .order_by("wave__created_at", "pk")
    )
    responses = (
        SurveyResponse.objects.filter(member__person_id__in=ids)
        .select_related("member__wave")
        .order_by("member__wave__created_at", "pk")
    )
    posts = (
        ReportedPost.objects.filter(person_id__in=ids)
        .select_related("institution", "role", "region")
        .order_by("reported_on", "pk")
    )
    events = AuditEvent.objects.filter(
        object_type="participants.person", object_id__in=[str(pk) for pk in ids]
    ).order_by("at", "pk")

    export: dict[str, Any] = {
        "generated_at": timezone.now(),
        "legal_basis": "Ley N.° 29733, derecho de acceso",
        "person": _person_fields(person),
        "merged_records": [_person_fields(p) for p in persons if p.pk != person.pk],
        "enrollments": [
            {
                "id": e.pk,
                "person_code": e.person.code if e.person_id != person.pk else person.code,
                "course": e.cohort.course.title,
                "cohort": e.cohort.label,
                "school": e.cohort.school.acronym if e.cohort.school else "",
                "start_date": e.cohort.start_date,
                "end_date": e.cohort.end_date,
                "institution": str(e.institution) if e.institution else "",
                "institution_as_written": e.institution_text,
                "role": str(e.role) if e.role else "",
                "role_as_written": e.role_text,
                "region": str(e.region) if e.region else "",
                "region_as_written": e.region_text,
                "age_stated": e.age_stated,
                "minor_stated": e.minor_stated,
                "registered_at": e.created_at,
            }
            for e in enrollments
        ],
        "scores": [
            {
                "enrollment": s.enrollment_id,
                "phase": s.phase,
                "raw_score": s.raw_score,
                "scale_max": s.scale_max,
                "percent": s.percent,
            }
            for s in scores
        ],
        "source_records": [
            {
                "file": r.batch.file_name,
                "imported_at": r.batch.created_at,
                "row": r.row_number,
                "cells": r.raw,
                "outcome": r.outcome,
                "problems": r.problems,
            }
            for r in records
        ],
        "merges": [
            {
                "survivor": m.survivor.code,
                "merged": m.merged.code,
                "rule": m.rule,
                "merged_at": m.merged_at,
                "undone_at": m.undone_at,
            }
            for m in merges
        ],
        "consents": [
            {
                "given_at": c.given_at,
                "text_version": c.text_version,
                "text_sha256": c.text_sha256,
                "school": c.school.acronym if c.school else "",
                "cohort": c.cohort.label if c.cohort else "",
            }
            for c in consents
        ],
        # Consent to be contacted for follow-up surveys: a purpose of its own, every
        # statement (grants, refusals, withdrawals) with the words the person was shown.
        "contact_consent_purpose": CONTACT_CONSENT_PURPOSE,
        "contact_consents": [
            {
                "person_code": c.person.code,
                "given_at": c.given_at,
                "agrees": c.granted,
                "source": c.get_source_display(),
                "text_version": c.text_version,
                "text": CONTACT_CONSENT_TEXTS.get(c.text_version, ""),
                "text_sha256": c.text_sha256,
                "roster_row": (
                    {"file": c.source_record.batch.file_name, "row": c.source_record.row_number}
                    if c.source_record
                    else None
                ),
                "recorded_at": c.recorded_at,
            }
            for c in contact_consents
        ],
        # A parent's or guardian's consent given for them as a minor: the person's own data
        # (that it was given, for which training, with which words), and the guardian's
        # name, who consented on their behalf.
        "guardian_consents": [
            {
                "person_code": c.person.code,
                "cohort": c.cohort.label if c.cohort else "",
                "guardian_name": c.guardian_name,
                "guardian_relationship": c.get_guardian_relationship_display(),
                "guardian_document": c.guardian_document,
                "given_at": c.given_at,
                "allows_follow_up": c.allows_follow_up,
                "source": c.get_source_display(),
                "text_version": c.text_version,
                "text": GUARDIAN_CONSENT_TEXTS.get(c.text_version, ""),
                "text_sha256": c.text_sha256,
                "roster_row": (
                    {"file": c.source_record.batch.file_name, "row": c.source_record.row_number}
                    if c.source_record
                    else None
                ),
                "recorded_at": c.recorded_at,
            }
            for c in guardian_consents
        ],
        "survey_memberships": [
            {
                "person_code": m.person.code,
                "wave": m.wave.name,
                "wave_purpose": m.wave.purpose,
                "status": m.get_status_display(),
                "selected_at": m.selected_at,
            }
            for m in memberships
        ],
        "survey_responses": [
            {
                "wave": r.member.wave.name,
                "responded_on": r.responded_on,
                "answers": r.answers,
                "post_as_reported": r.reported,
                "imported_at": r.imported_at,
            }
            for r in responses
        ],
        "reported_posts": [
            {
                "reported_on": p.reported_on,
                "institution": str(p.institution) if p.institution else "",
                "institution_as_written": p.institution_text,
                "role": str(p.role) if p.role else "",
                "role_as_written": p.role_text,
                "region": str(p.region) if p.region else "",
                "region_as_written": p.region_text,
            }
            for p in posts
        ],
        "audit_events": [
            {
                "at": e.at,
                "action": e.action,
                "by": e.actor_username,
                "details": e.details,
            }
            for e in events
        ],
    }
    audit_record(
        actor=actor,
        action=AuditAction.DSR_ACCESS,
        obj=person,
        details={"sections": {k: len(v) for k, v in export.items() if isinstance(v, list)}},
        request=request,
    )
    return json_ready(export)


def _person_fields(person: Person) -> dict[str, Any]:
    return {field: getattr(person, field) for field in PERSON_EXPORT_FIELDS}
