"""person_merge: see the package docstring for what a merge does and why."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone

from assessments.models import Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Enrollment, SourceRecord
from participants.changes import counted_data_changed
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person, PersonStatus
from participants.selectors import cluster_ids, persons_known_different
from participants.services import person_keys
from review.merging.common import (
    OPEN_DECISIONS,
    STATE_VERSION,
    MergeError,
    decision_row,
    jsonable,
    lock_persons,
    require_active,
    row_of,
    validate_person,
)
from review.merging.field_values import (
    ChoiceError,
    field_value,
    surviving_values,
    survivorship,
)

# Enrollment fields filled on the kept enrollment when it has neither the entry nor the text.
_ENROLLMENT_PAIRS = (
    ("institution", "institution_text"),
    ("role", "role_text"),
    ("region", "region_text"),
)


def _check_documents(survivor: Person, merged: Person, force: bool) -> None:
    # Model validation guarantees that a stored document is valid for its type (a DNI has
    # eight digits), so two non-empty numbers of one type are two valid documents.
    if (
        survivor.document_type == merged.document_type
        and survivor.document_number
        and merged.document_number
        and survivor.document_number != merged.document_number
        and not force
    ):
        raise MergeError(
            f"{survivor.code} y {merged.code} tienen documentos distintos "
            f"({survivor.get_document_type_display()} {survivor.document_number} y "
            f"{merged.document_number}): dos documentos suelen ser dos personas. "
            "Confírmelo expresamente para fusionarlas de todos modos."
        )


@transaction.atomic
def person_merge(
    *,
    survivor: Person,
    merged: Person,
    actor: User | None,
    rule: str = "survivorship",
    score: float | None = None,
    candidate: DuplicateCandidate | None = None,
    field_choices: dict[str, str] | None = None,
    force: bool = False,
) -> MergeRecord:
    """Merge `merged` into `survivor` (see the package docstring); returns the merge record."""
    counted_data_changed()
    if survivor.pk == merged.pk:
        raise MergeError(f"{survivor.code} no se puede fusionar consigo misma.")
    locked = lock_persons(survivor.pk, merged.pk)
    survivor, merged = locked[survivor.pk], locked[merged.pk]
    require_active(survivor)
    require_active(merged)
    _check_documents(survivor, merged, force)
    if not force and persons_known_different(survivor, merged):
        raise MergeError(
            f"Un revisor ya decidió que {survivor.code} y {merged.code} son personas "
            "distintas. Confírmelo expresamente para fusionarlas de todos modos."
        )
    candidate = _lock_candidate(candidate, survivor, merged)
    try:
        outcomes = survivorship(survivor=survivor, merged=merged, field_choices=field_choices)
    except ChoiceError as error:
        raise MergeError(str(error)) from error

    state: dict[str, Any] = {
        "version": STATE_VERSION,
        "survivor": row_of(survivor),
        "merged": row_of(merged),
        "field_choices": dict(field_choices or {}),
        "forced": force,
        "conflicts": {
            f: jsonable(_pair_values(survivor, merged, f))
            for f, o in outcomes.items()
            if o.conflict
        },
        "candidate": decision_row(candidate) if candidate else None,
    }
    state.update(_move_enrollments(survivor, merged))
    state.update(_update_candidates(survivor, merged, candidate, actor))

    # The tombstone first: the one-active-person-per-document constraint must not see the
    # merged person's document on two active rows when the survivor takes it over.
    merged.status = PersonStatus.MERGED
    merged.merged_into = survivor
    merged.save(update_fields=["status", "merged_into", "updated_at"])

    new_values = surviving_values(survivor=survivor, merged=merged, outcomes=outcomes)
    before = {attr: getattr(survivor, attr) for attr in new_values}
    for attr, value in new_values.items():
        setattr(survivor, attr, value)
    person_keys(survivor)
    validate_person(survivor)
    survivor.save()
    state["survivor_changes"] = {
        attr: [jsonable(before[attr]), jsonable(new_values[attr])]
        for attr in new_values
        if before[attr] != new_values[attr]
    }

    if candidate is not None:
        candidate.decision = Decision.SAME
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["decision", "decided_by", "decided_at"])
    record = MergeRecord(
        survivor=survivor,
        merged=merged,
        candidate=candidate,
        score=score if score is not None else (candidate.score if candidate else None),
        rule=rule if not field_choices else f"{rule} + reviewer's choices",
        before_state=state,
        merged_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(
        actor=actor,
        action=AuditAction.MERGE,
        obj=survivor,
        details={
            "merged": merged.code,
            "merge_id": record.pk,
            "rule": record.rule,
            "score": record.score,
        },
    )
    return record


def _pair_values(survivor: Person, merged: Person, field: str) -> tuple[Any, Any]:
    return field_value(survivor, field), field_value(merged, field)


def _lock_candidate(
    candidate: DuplicateCandidate | None, survivor: Person, merged: Person
) -> DuplicateCandidate | None:
    """The pair this merge answers (given, or found), locked and checked still open."""
    low, high = sorted((survivor.pk, merged.pk))
    query = DuplicateCandidate.objects.select_for_update()
    if candidate is None:
        return query.filter(person_a_id=low, person_b_id=high, decision__in=OPEN_DECISIONS).first()
    candidate = query.get(pk=candidate.pk)
    if (candidate.person_a_id, candidate.person_b_id) != (low, high):
        raise MergeError(
            f"El posible duplicado {candidate.pk} no es el par {survivor.code} / {merged.code}."
        )
    if candidate.decision not in OPEN_DECISIONS:
        raise MergeError(
            f"El par {survivor.code} / {merged.code} ya fue decidido: "
            f"{candidate.get_decision_display()}."
        )
    return candidate


def _move_enrollments(survivor: Person, merged: Person) -> dict[str, Any]:
    kept_by_cohort = {e.cohort_id: e for e in Enrollment.objects.filter(person=survivor)}
    moved, folded, kept_rows, moved_scores, removed_scores = [], [], [], [], []
    folded_into: dict[int, Enrollment] = {}
    for enrollment in Enrollment.objects.filter(person=merged).order_by("pk"):
        kept = kept_by_cohort.get(enrollment.cohort_id)
        if kept is None:
            moved.append(enrollment.pk)
            continue
        folded.append(row_of(enrollment))
        folded_into[enrollment.pk] = kept
        filled = _fill_enrollment(kept, enrollment)
        if filled:
            kept_rows.append({"id": kept.pk, "changes": filled})
        kept_phases = set(kept.scores.values_list("phase", flat=True))
        for score in enrollment.scores.order_by("pk"):
            if score.phase in kept_phases:
                removed_scores.append(row_of(score))
            else:
                moved_scores.append({"id": score.pk, "enrollment_id": enrollment.pk})
    Enrollment.objects.filter(pk__in=moved).update(person=survivor)

    sources = SourceRecord.objects.filter(
        Q(person=merged) | Q(enrollment_id__in=list(folded_into))
    ).order_by("pk")
    source_rows = [
        {"id": s.pk, "person_id": s.person_id, "enrollment_id": s.enrollment_id} for s in sources
    ]
    for source in sources:
        if source.person_id == merged.pk:
            source.person = survivor
        if source.enrollment_id in folded_into:
            source.enrollment = folded_into[source.enrollment_id]
        source.save(update_fields=["person", "enrollment"])
    for row in moved_scores:
        Score.objects.filter(pk=row["id"]).update(enrollment=folded_into[row["enrollment_id"]])
    Score.objects.filter(pk__in=[row["id"] for row in removed_scores]).delete()
    try:
        Enrollment.objects.filter(pk__in=list(folded_into)).delete()
    except ProtectedError as error:
        raise MergeError(
            f"Una matrícula de {merged.code} en una edición que {survivor.code} también "
            f"cursó sigue referida en otro lugar ({error.protected_objects}): no se puede unir."
        ) from error
    return {
        "moved_enrollments": moved,
        "folded_enrollments": folded,
        "kept_enrollments": kept_rows,
        "moved_scores": moved_scores,
        "removed_scores": removed_scores,
        "source_records": source_rows,
    }


def _fill_enrollment(kept: Enrollment, other: Enrollment) -> dict[str, list[Any]]:
    """Fill the kept enrollment's empty institution/role/region; returns {attname: [old, new]}."""
    changes: dict[str, list[Any]] = {}
    for entry, text in _ENROLLMENT_PAIRS:
        if getattr(kept, f"{entry}_id") is None and not getattr(kept, text):
            for attname in (f"{entry}_id", text):
                changes[attname] = [getattr(kept, attname), getattr(other, attname)]
                setattr(kept, attname, getattr(other, attname))
    if changes:
        kept.save(update_fields=[name.removesuffix("_id") for name in changes])
    return changes


def _update_candidates(
    survivor: Person,
    merged: Person,
    candidate: DuplicateCandidate | None,
    actor: User | None,
) -> dict[str, Any]:
    repointed, removed, answered = [], [], []
    open_pairs = (
        DuplicateCandidate.objects.select_for_update()
        .filter(Q(person_a=merged) | Q(person_b=merged), decision__in=OPEN_DECISIONS)
        .order_by("pk")
    )
    if candidate is not None:
        open_pairs = open_pairs.exclude(pk=candidate.pk)
    survivor_cluster = cluster_ids(survivor) | cluster_ids(merged)
    now = timezone.now()
    for pair in open_pairs:
        other = pair.person_b_id if pair.person_a_id == merged.pk else pair.person_a_id
        low, high = sorted((survivor.pk, other))
        other_person = Person.objects.get(pk=other)
        if low == high or persons_known_different(
            survivor, other_person, left_ids=survivor_cluster
        ):
            # Answered by this merge (the pair is now one person) or by an earlier "different".
            answered.append(decision_row(pair))
            pair.decision = Decision.SAME if low == high else Decision.DIFFERENT
            pair.decided_by = actor
            pair.decided_at = now
            pair.save(update_fields=["decision", "decided_by", "decided_at"])
        elif DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).exists():
            if pair.merges.exists():
                continue  # kept as history of an undone merge; the queue skips tombstones
            removed.append(row_of(pair))
            pair.delete()
        else:
            repointed.append(decision_row(pair))
            pair.person_a_id, pair.person_b_id = low, high
            pair.save(update_fields=["person_a", "person_b"])
    return {
        "candidates_repointed": repointed,
        "candidates_removed": removed,
        "candidates_answered": answered,
    }
