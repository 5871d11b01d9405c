"""Whether a person agrees, today, to be contacted for follow-up surveys.

A person's answer is their latest statement (`ContactConsent`, append-only), taken over the
person and everyone merged into them: a merge keeps each record's rows where they were, and a
withdrawal given under either record counts for the person they are now. No row means no
consent: follow-up contact is opt-in.

Statements are written only through `contact_consent_record` (and `contact_consent_withdraw`),
each with its audit event in the same transaction. Nothing caches an answer: every reader goes
through `contact_consent_latest`, so a withdrawal counts for the next read, wherever it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.consent import (
    CONTACT_CONSENT_TEXTS,
    CURRENT_CONTACT_CONSENT_VERSION,
    ROSTER_CONTACT_CONSENT_VERSION,
    contact_consent_sha256,
)
from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import SourceRecord
from participants.models import Person
from participants.record_frames.merged_persons import members_of


def contact_consent_record(
    *,
    person: Person,
    granted: bool,
    source: ContactConsentSource | str,
    given_at: datetime,
    text_version: str = CURRENT_CONTACT_CONSENT_VERSION,
    source_record: SourceRecord | None = None,
    actor: User | AnonymousUser | None,
    request: HttpRequest | None = None,
) -> ContactConsent:
    """Append one statement (a grant, or with `granted` false a refusal or withdrawal) and
    its audit event, in one transaction.

    A grant names the version of the text the person was shown; a withdrawal needs none
    (withdrawing is always possible, whatever was shown). Raises ValidationError, writing
    nothing, for an unknown version or source.
    """
    contact_consent_check(granted=granted, source=source, text_version=text_version)
    user = actor if actor is not None and actor.is_authenticated else None
    row = ContactConsent(
        person=person,
        granted=granted,
        given_at=given_at,
        source=str(source),
        text_version=text_version,
        text_sha256=contact_consent_sha256(text_version) if text_version else "",
        source_record=source_record,
        recorded_by=user,
    )
    with transaction.atomic():
        row.save()
        audit_record(
            actor=actor,
            action=AuditAction.CONTACT_CONSENT,
            obj=person,
            details=_audit_details(row),
            request=request,
        )
    return row


def contact_consent_withdraw(
    *,
    person: Person,
    actor: User | AnonymousUser | None,
    source: ContactConsentSource | str,
    request: HttpRequest | None = None,
) -> ContactConsent:
    """Record, as of now, that `person` no longer agrees to be contacted."""
    return contact_consent_record(
        person=person,
        granted=False,
        source=source,
        given_at=timezone.now(),
        text_version="",
        actor=actor,
        request=request,
    )


# Where a person withdraws deliberately, as opposed to a roster's column.
_WITHDRAWAL_SOURCES = frozenset(
    {
        ContactConsentSource.SCHOOL_FORM,
        ContactConsentSource.ADMIN,
        ContactConsentSource.DATA_REQUEST,
    }
)


def contact_consents_from_roster(
    *,
    statements: list[tuple[SourceRecord, bool]],
    given_at: datetime,
    actor: User | AnonymousUser | None,
    batch_id: int,
    obj: models.Model,
) -> list[ContactConsent]:
    """The statements of one committed roster (each row's record and its answer), written in
    bulk with one audit event for the batch, inside the import's transaction.

    Each row is its own evidence (`source_record`), so one event naming the batch and the
    counts is enough: a roster of thousands does not append thousands of events. A grant for
    someone whose current answer is a withdrawal made on a form, by an administrator or in a
    data request is not recorded: the roster is dated at its import, so an old list
    imported after the withdrawal would otherwise undo it.
    """
    withdrawn = {
        pk
        for pk, row in contact_consent_latest(
            record.person_id for record, granted in statements if granted and record.person_id
        ).items()
        if not row.granted and row.source in _WITHDRAWAL_SOURCES
    }
    kept = [
        (person_id, record, granted)
        for record, granted in statements
        if (person_id := record.person_id) is not None and not (granted and person_id in withdrawn)
    ]
    if not kept:
        return []
    user = actor if actor is not None and actor.is_authenticated else None
    roster_sha256 = contact_consent_sha256(ROSTER_CONTACT_CONSENT_VERSION)
    rows = ContactConsent.objects.bulk_create(
        [
            ContactConsent(
                person_id=person_id,
                granted=granted,
                given_at=given_at,
                source=ContactConsentSource.ROSTER,
                text_version=ROSTER_CONTACT_CONSENT_VERSION if granted else "",
                text_sha256=roster_sha256 if granted else "",
                source_record=record,
                recorded_by=user,
            )
            for person_id, record, granted in kept
        ],
        batch_size=1000,
    )
    granted_count = sum(row.granted for row in rows)
    audit_record(
        actor=actor,
        action=AuditAction.CONTACT_CONSENT,
        obj=obj,
        details={
            "batch": batch_id,
            "source": ContactConsentSource.ROSTER.value,
            "granted": granted_count,
            "refused": len(rows) - granted_count,
            "kept_withdrawal": len(statements) - len(kept),
        },
    )
    return rows


def contact_consent_check(*, granted: bool, source: str, text_version: str) -> None:
    """Refuse a statement the registry could not stand behind later (ValidationError)."""
    if source not in ContactConsentSource.values:
        raise ValidationError(
            _("Unknown source of a consent to follow-up contact: %(source)s.") % {"source": source}
        )
    if granted and not text_version:
        raise ValidationError(
            _("A consent to follow-up contact needs the version of the text the person was shown.")
        )
    if text_version and text_version not in CONTACT_CONSENT_TEXTS:
        raise ValidationError(
            _("Unknown version of the follow-up contact consent text: %(version)s.")
            % {"version": text_version}
        )
    if granted and (text_version == ROSTER_CONTACT_CONSENT_VERSION) != (
        source == ContactConsentSource.ROSTER
    ):
        # The roster's version says the words are unknown: true of a roster only, and a
        # roster's grant cannot claim a text the registry showed.
        raise ValidationError(
            _("The text version %(version)s does not match the source %(source)s.")
            % {"version": text_version, "source": source}
        )


def _audit_details(row: ContactConsent) -> dict[str, object]:
    # The statement's facts only: the person is the event's object (by code, never a name).
    details: dict[str, object] = {
        "contact_consent": row.pk,
        "granted": row.granted,
        "source": row.source,
        "given_at": row.given_at,
    }
    if row.text_version:
        details["text_version"] = row.text_version
    if row.source_record_id is not None:
        details["source_record"] = row.source_record_id
    return details


def contact_consent_latest(person_ids: Iterable[int]) -> dict[int, ContactConsent]:
    """Each person's latest statement (over their merge cluster), for those who made one."""
    members = members_of(person_ids)
    latest: dict[int, ContactConsent] = {}
    rows = ContactConsent.objects.filter(person_id__in=list(members)).order_by("given_at", "id")
    for row in rows.iterator(chunk_size=2000):
        latest[members[row.person_id]] = row  # later rows overwrite earlier ones
    return latest


def contact_consent_statements(person: Person) -> list[ContactConsent]:
    """Every statement of `person` and of those merged into them, latest first."""
    members = members_of([person.pk])
    return list(
        ContactConsent.objects.filter(person_id__in=list(members))
        .select_related("person", "recorded_by", "source_record__batch")
        .order_by("-given_at", "-id")
    )


def persons_consenting(person_ids: Iterable[int]) -> set[int]:
    """The persons among `person_ids` whose latest statement grants follow-up contact."""
    return {pk for pk, row in contact_consent_latest(person_ids).items() if row.granted}
