"""Write services of the review queue: recording possible duplicates and deciding them.

A decided pair is never asked again: `candidate_record` returns the existing pair (pending or
decided) instead of creating a new one, also when the decision was about persons that have
since been merged into the two persons at hand. "Skip" keeps the pair open but sends it to the
end of the queue, behind every pending pair.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from participants.changes import counted_data_changed
from participants.merge_chains import chain_end
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person
from participants.selectors import cluster_ids, person_resolve
from review.merging import MergeError, person_merge

DECISIONS = {"same": Decision.SAME, "different": Decision.DIFFERENT, "skip": Decision.SKIPPED}
OPEN_DECISIONS = (Decision.PENDING, Decision.SKIPPED)


class ReviewError(Exception):
    """A decision that cannot be taken; the message says why."""


@transaction.atomic
def candidate_record(
    *, person_a: Person, person_b: Person, score: float, reasons: Iterable[str] | str = ()
) -> DuplicateCandidate | None:
    """Queue a possible duplicate, or return the pair already known; None if nothing to ask.

    Persons merged since are replaced by their survivor. Nothing is asked when both are the
    same person already; when a reviewer already decided about the two (or about persons
    merged into them) that decided pair is returned unchanged and nothing is re-opened.
    """
    counted_data_changed()
    left, right = person_resolve(person_a), person_resolve(person_b)
    if left.pk == right.pk:
        return None
    low, high = sorted((left.pk, right.pk))
    existing = DuplicateCandidate.objects.filter(person_a_id=low, person_b_id=high).first()
    if existing is not None:
        return existing
    decided = _decided_between(cluster_ids(left), cluster_ids(right))
    if decided is not None:
        return decided
    reason_list = [reasons] if isinstance(reasons, str) else list(reasons)
    candidate, _ = DuplicateCandidate.objects.get_or_create(
        person_a_id=low,
        person_b_id=high,
        defaults={"score": min(max(float(score), 0.0), 1.0), "reasons": reason_list},
    )
    return candidate


def _decided_between(left_ids: set[int], right_ids: set[int]) -> DuplicateCandidate | None:
    pairs = DuplicateCandidate.objects.exclude(decision__in=OPEN_DECISIONS)
    for candidate in pairs.filter(person_a_id__in=left_ids | right_ids).filter(
        person_b_id__in=left_ids | right_ids
    ):
        a, b = candidate.person_a_id, candidate.person_b_id
        if (a in left_ids and b in right_ids) or (a in right_ids and b in left_ids):
            return candidate
    return None


@transaction.atomic
def candidate_decide(
    *,
    candidate: DuplicateCandidate,
    decision: str,
    actor: User | None,
    field_choices: dict[str, str] | None = None,
    survivor: Person | None = None,
    force: bool = False,
    source: str = "review_page",
    actor_label: str = "",
) -> MergeRecord | None:
    """Record a reviewer's answer; "same" merges the pair and returns the merge record.

    `decision` is "same", "different" or "skip". The survivor defaults to the person
    registered first (person_a), whose code is the older one. `force` confirms a merge of two
    persons with different documents (see review.merging).

    Every decision is audited: "same" through the merge's own event, "different" and "skip"
    here, by pair id and the two participant codes (never a name or a DNI). `source` says
    where the decision came from; `actor_label` names a decider that is no user (a command).
    """
    counted_data_changed()
    if decision not in DECISIONS:
        raise ReviewError(f"Decisión desconocida '{decision}': use misma, distinta u omitir.")
    if decision == "same":
        survivor = survivor or candidate.person_a
        if survivor.pk not in (candidate.person_a_id, candidate.person_b_id):
            raise ReviewError(f"{survivor.code} no es una de las dos personas de este par.")
        merged_id = (
            candidate.person_b_id if survivor.pk == candidate.person_a_id else candidate.person_a_id
        )
        try:
            return person_merge(
                survivor=survivor,
                merged=Person.objects.get(pk=merged_id),
                actor=actor,
                candidate=candidate,
                field_choices=field_choices,
                force=force,
            )
        except MergeError as error:
            raise ReviewError(str(error)) from error
    locked = (
        DuplicateCandidate.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=candidate.pk)
    )
    if locked.decision not in OPEN_DECISIONS:
        raise ReviewError(
            f"El par {locked.person_a.code} / {locked.person_b.code} ya fue decidido: "
            f"{locked.get_decision_display()}."
        )
    locked.decision = DECISIONS[decision]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        actor_username=actor_label,
        action=AuditAction.REVIEW_DECISION,
        obj=locked,
        details={
            "decision": decision,
            "person_a": locked.person_a.code,
            "person_b": locked.person_b.code,
            "source": source,
        },
    )
    candidate.refresh_from_db()
    return None


def review_constraints(
    *, resolve: bool = True
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(must_link, cannot_link) person-id pairs from the reviewers' decisions, for clustering.

    With `resolve` (the default) each person is replaced by the active person it stands for
    today, so a "different" decided about a person since merged constrains its survivor;
    pairs that became one person drop out (a confirmed "same" is usually already merged, so
    must-link is then empty unless two still-active persons were declared the same). Without
    `resolve` the pairs are returned as decided, for clustering over the original persons.
    Pairs are sorted, lower id first.
    """
    decided = DuplicateCandidate.objects.filter(
        decision__in=(Decision.SAME, Decision.DIFFERENT)
    ).values_list("person_a_id", "person_b_id", "decision")
    # Tombstones are few next to persons: read their pointers once and walk chains in memory.
    pointers = dict(
        Person.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into_id")
    )
    must: set[tuple[int, int]] = set()
    cannot: set[tuple[int, int]] = set()
    for a, b, decision in decided:
        if resolve:
            a, b = chain_end(a, pointers), chain_end(b, pointers)
        if a == b:
            continue
        pair = (min(a, b), max(a, b))
        (must if decision == Decision.SAME else cannot).add(pair)
    return sorted(must), sorted(cannot)


def _follow(pk: int, pointers: dict[int, int]) -> int:
    seen = {pk}
    while pk in pointers:
        pk = pointers[pk]
        if pk in seen:
            raise ValueError(f"The merge chain of person {pk} loops; check its merge records.")
        seen.add(pk)
    return pk
