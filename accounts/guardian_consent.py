"""A parent's or guardian's consent for a minor: written here, read here.

Ley 29733's regulation asks for the consent of the parents or guardian to process the data
of someone under 14 (`courses.minors` says who is). The consent comes from the school form
(the guardian's name, relationship and a ticked box beside the text), from a roster's
guardian columns (the roster version of the text: the words shown are unknown), or from a
registry administrator. Each consent is a row, never edited, audited in the same
transaction; a roster's are written in bulk with one event per import, as its contact
statements are. Reads go over the person's merge cluster: a merge keeps each record's rows
where they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from accounts.consent import (
    CURRENT_GUARDIAN_CONSENT_VERSION,
    GUARDIAN_CONSENT_TEXTS,
    ROSTER_GUARDIAN_CONSENT_VERSION,
    guardian_consent_sha256,
)
from accounts.models import GuardianConsent, GuardianConsentSource, GuardianRelationship
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort, SourceRecord
from participants.models import Person
from participants.record_frames.merged_persons import members_of


@dataclass(frozen=True)
class GuardianStatement:
    """What a form or a roster row says of the guardian's consent."""

    guardian_name: str
    guardian_relationship: str  # a GuardianRelationship value
    given_at: datetime
    guardian_document: str = ""
    allows_follow_up: bool = False


def guardian_consent_record(
    *,
    person: Person,
    statement: GuardianStatement,
    source: GuardianConsentSource | str,
    cohort: Cohort | None = None,
    text_version: str = CURRENT_GUARDIAN_CONSENT_VERSION,
    actor: User | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> GuardianConsent:
    """Write one consent and its audit event, in one transaction. Raises ValidationError,
    writing nothing, for a consent the registry could not stand behind later."""
    guardian_consent_check(statement=statement, source=str(source), text_version=text_version)
    user = actor if actor is not None and actor.is_authenticated else None
    row = _build(
        person_id=person.pk,
        statement=statement,
        source=str(source),
        cohort=cohort,
        text_version=text_version,
        user=user,
    )
    with transaction.atomic():
        row.save()
        audit_record(
            actor=actor,
            action=AuditAction.GUARDIAN_CONSENT,
            obj=person,
            # The consent's facts only: the guardian's name and document stay on the row.
            details={
                "guardian_consent": row.pk,
                "source": row.source,
                "relationship": row.guardian_relationship,
                "text_version": row.text_version,
                "allows_follow_up": row.allows_follow_up,
                "cohort": cohort.pk if cohort is not None else None,
            },
            request=request,
        )
    return row


def guardian_consents_from_roster(
    *,
    statements: list[tuple[SourceRecord, GuardianStatement]],
    cohort: Cohort,
    actor: User | AnonymousUser | None,
    batch_id: int,
) -> list[GuardianConsent]:
    """The guardian consents of one committed roster (each row's record and what it
    states), in bulk with one audit event for the batch, inside the import's transaction.

    Each row is its own evidence (`source_record`), so one event naming the batch and the
    count is enough, as for the roster's contact statements.
    """
    kept = [
        (person_id, record, statement)
        for record, statement in statements
        if (person_id := record.person_id) is not None
    ]
    if not kept:
        return []
    user = actor if actor is not None and actor.is_authenticated else None
    for _person_id, _record, statement in kept:
        guardian_consent_check(
            statement=statement,
            source=GuardianConsentSource.ROSTER,
            text_version=ROSTER_GUARDIAN_CONSENT_VERSION,
        )
    rows = GuardianConsent.objects.bulk_create(
        [
            _build(
                person_id=person_id,
                statement=statement,
                source=GuardianConsentSource.ROSTER,
                cohort=cohort,
                text_version=ROSTER_GUARDIAN_CONSENT_VERSION,
                user=user,
                source_record=record,
            )
            for person_id, record, statement in kept
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action=AuditAction.GUARDIAN_CONSENT,
        obj=cohort,
        details={
            "batch": batch_id,
            "source": GuardianConsentSource.ROSTER.value,
            "consents": len(rows),
            "allows_follow_up": sum(row.allows_follow_up for row in rows),
        },
    )
    return rows


def guardian_consent_check(*, statement: GuardianStatement, source: str, text_version: str) -> None:
    """Refuse a consent without a guardian, relationship or known text (ValidationError)."""
    if source not in GuardianConsentSource.values:
        raise ValidationError(
            _("Unknown source of a guardian consent: %(source)s.") % {"source": source}
        )
    if not statement.guardian_name.strip():
        raise ValidationError(_("A guardian consent needs the guardian's name."))
    if statement.guardian_relationship not in GuardianRelationship.values:
        raise ValidationError(
            _("Unknown relationship of a guardian: %(value)s.")
            % {"value": statement.guardian_relationship}
        )
    if text_version not in GUARDIAN_CONSENT_TEXTS:
        raise ValidationError(
            _("Unknown version of the guardian consent text: %(version)s.")
            % {"version": text_version}
        )
    if (text_version == ROSTER_GUARDIAN_CONSENT_VERSION) != (
        source == GuardianConsentSource.ROSTER
    ):
        # The roster's version says the words are unknown: true of a roster only.
        raise ValidationError(
            _("The text version %(version)s does not match the source %(source)s.")
            % {"version": text_version, "source": source}
        )


def _build(
    *,
    person_id: int,
    statement: GuardianStatement,
    source: str,
    cohort: Cohort | None,
    text_version: str,
    user: User | None,
    source_record: SourceRecord | None = None,
) -> GuardianConsent:
    return GuardianConsent(
        person_id=person_id,
        cohort=cohort,
        guardian_name=statement.guardian_name.strip()[:200],
        guardian_relationship=statement.guardian_relationship,
        guardian_document=statement.guardian_document.strip()[:20],
        given_at=statement.given_at,
        text_version=text_version,
        text_sha256=guardian_consent_sha256(text_version),
        allows_follow_up=statement.allows_follow_up,
        source=source,
        source_record=source_record,
        recorded_by=user,
    )


def guardian_consents_of(person: Person) -> list[GuardianConsent]:
    """Every guardian consent of `person` and of those merged into them, latest first."""
    members = members_of([person.pk])
    return list(
        GuardianConsent.objects.filter(person_id__in=list(members))
        .select_related("cohort__course", "recorded_by", "source_record__batch")
        .order_by("-given_at", "-id")
    )


def guardian_consent_holders(
    person_ids: Iterable[int], *, allows_follow_up: bool = False
) -> set[int]:
    """The persons among `person_ids` (over their merge clusters) with a guardian consent;
    with `allows_follow_up`, only one that extends to follow-up contact."""
    members = members_of(person_ids)
    rows = GuardianConsent.objects.filter(person_id__in=list(members))
    if allows_follow_up:
        rows = rows.filter(allows_follow_up=True)
    return {members[pk] for pk in rows.values_list("person_id", flat=True).distinct()}


__all__ = [
    "GuardianStatement",
    "guardian_consent_check",
    "guardian_consent_holders",
    "guardian_consent_record",
    "guardian_consents_from_roster",
    "guardian_consents_of",
]
