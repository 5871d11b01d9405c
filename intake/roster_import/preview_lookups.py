"""A preview (dry run) by a user is a look-up of the registry: counted and audited.

A preview writes nothing, yet it compares every row of the file with every school's
participants, so it counts against the user's hourly budget (accounts.lookup_limits) and
leaves a person look-up in the audit log: the file, its rows' outcomes as planned and the
codes of the registered persons its rows named, never the rows' values.
"""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.models import User

from accounts.lookup_limits import ROSTER_PREVIEW, LookupLimitReached, lookup_count
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort
from intake.roster_import.planning import Plan
from participants.models import Person
from spreadsheets.reading import RosterFileError


def preview_lookup_count(*, actor: User, file_name: str) -> None:
    """Count one preview; raises RosterFileError naming the file past the hourly budget."""
    try:
        lookup_count(user=actor, kind=ROSTER_PREVIEW)
    except LookupLimitReached as limit:
        raise RosterFileError(f"{file_name}: no se revisó el archivo. {limit}") from None


def preview_audit(*, actor: User, cohort: Cohort, file_name: str, sha256: str, plan: Plan) -> None:
    named = {
        person_id
        for row in plan.rows
        for person_id in (row.person_id, row.review_person_id)
        if person_id is not None
    }
    audit_record(
        actor=actor,
        action=AuditAction.PERSON_LOOKUP,
        obj=cohort if cohort.pk is not None else None,
        details={
            "source": "roster_preview",
            "file": file_name,
            "sha256": sha256,
            "counts": dict(Counter(row.outcome for row in plan.rows)),
            "matched": sorted(Person.objects.filter(pk__in=named).values_list("code", flat=True)),
        },
    )
