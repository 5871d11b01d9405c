"""person_unmerge: restore the state recorded before a merge."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.models import Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Enrollment, SourceRecord
from participants.changes import counted_data_changed
from participants.models import DuplicateCandidate, MergeRecord, Person, PersonStatus
from participants.services import person_keys
from review.merging.common import (
    STATE_VERSION,
    MergeError,
    jsonable,
    lock_persons,
    recreate,
    to_python,
    validate_person,
)

# Not restored by an unmerge: the row did change, and its modification time says when.
_NOT_RESTORED = {"updated_at"}


@transaction.atomic
def person_unmerge(*, merge: MergeRecord, actor: User | None) -> None:
    """Undo `merge`, restoring the persons, enrollments, scores, sources and pairs it changed."""
    counted_data_changed()
    locked = lock_persons(merge.survivor_id, merge.merged_id)
    survivor, merged = locked[merge.survivor_id], locked[merge.merged_id]
    merge = MergeRecord.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeError(
            f"La fusión de {merged.code} en {survivor.code} ya se deshizo "
            f"el {timezone.localtime(merge.undone_at):%Y-%m-%d %H:%M}."
        )
    later = (
        MergeRecord.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        .filter(Q(survivor__in=[survivor, merged]) | Q(merged__in=[survivor, merged]))
        .select_related("survivor", "merged")
        .order_by("-pk")
        .first()
    )
    if later is not None:
        raise MergeError(
            f"{later.merged.code} se fusionó en {later.survivor.code} después de esta fusión: "
            "deshaga primero esa fusión."
        )
    if merged.status != PersonStatus.MERGED or merged.merged_into_id != survivor.pk:
        raise MergeError(f"{merged.code} ya no está fusionada en {survivor.code}.")
    state = merge.before_state
    if state.get("version") != STATE_VERSION:
        raise MergeError(
            f"El registro de fusión {merge.pk} tiene un estado previo de formato desconocido."
        )

    _restore_survivor(survivor, state)
    _restore_merged(merged, state)
    _restore_enrollments(survivor, merged, state)
    _restore_candidates(state)

    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UNMERGE,
        obj=survivor,
        details={"merged": merged.code, "merge_id": merge.pk},
    )


def _restore_survivor(survivor: Person, state: dict[str, Any]) -> None:
    for attr, (old, new) in state["survivor_changes"].items():
        # A field edited after the merge keeps the later edit.
        if jsonable(getattr(survivor, attr)) == new:
            setattr(survivor, attr, to_python(Person, attr, old))
    person_keys(survivor)
    validate_person(survivor)
    survivor.save()


def _restore_merged(merged: Person, state: dict[str, Any]) -> None:
    row = state["merged"]
    clash = (
        Person.objects.active()
        .filter(document_type=row["document_type"], document_number=row["document_number"])
        .exclude(document_number="")
        .first()
    )
    if clash is not None:
        raise MergeError(
            f"{merged.code} no se puede restituir: su documento {row['document_number']} "
            f"pertenece ahora a la persona activa {clash.code}."
        )
    for attr, value in row.items():
        if attr not in _NOT_RESTORED and attr != "id":
            setattr(merged, attr, to_python(Person, attr, value))
    validate_person(merged)
    merged.save()


def _restore_enrollments(survivor: Person, merged: Person, state: dict[str, Any]) -> None:
    moved = state["moved_enrollments"]
    if Enrollment.objects.filter(pk__in=moved, person=survivor).count() != len(moved):
        raise MergeError(
            f"Algunas matrículas que pasaron de {merged.code} a {survivor.code} ya no "
            "pertenecen a la persona que se conservó: la fusión no se puede deshacer con exactitud."
        )
    Enrollment.objects.filter(pk__in=moved).update(person=merged)
    for row in state["folded_enrollments"]:
        recreate(Enrollment, row)
    for row in state["kept_enrollments"]:
        kept = Enrollment.objects.get(pk=row["id"])
        # Only what the merge filled, and only if nobody changed it since.
        restore = {
            attname: old
            for attname, (old, new) in row["changes"].items()
            if getattr(kept, attname) == new
        }
        if restore:
            Enrollment.objects.filter(pk=kept.pk).update(**restore)
    for row in state["removed_scores"]:
        recreate(Score, row)
    for row in state["moved_scores"]:
        Score.objects.filter(pk=row["id"]).update(enrollment_id=row["enrollment_id"])
    for row in state["source_records"]:
        SourceRecord.objects.filter(pk=row["id"]).update(
            person_id=row["person_id"], enrollment_id=row["enrollment_id"]
        )


def _restore_candidates(state: dict[str, Any]) -> None:
    for row in state["candidates_repointed"]:
        DuplicateCandidate.objects.filter(pk=row["id"]).update(
            person_a_id=row["person_a_id"], person_b_id=row["person_b_id"]
        )
    for row in state["candidates_removed"]:
        recreate(DuplicateCandidate, row)
    answered = list(state["candidates_answered"])
    if state.get("candidate"):
        answered.append(state["candidate"])
    for row in answered:
        DuplicateCandidate.objects.filter(pk=row["id"]).update(
            decision=row["decision"],
            decided_by_id=row["decided_by_id"],
            decided_at=to_python(DuplicateCandidate, "decided_at", row["decided_at"]),
        )
