"""Read-side queries about persons: resolving codes through merges, clusters and merge history."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participants.codes import normalise_code
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person

# Merge chains are short (A into B, B into C); a longer walk means corrupt data.
_MAX_CHAIN = 100


def person_resolve(code_or_person: Person | str | int) -> Person:
    """The person a code, id or person stands for today: follows `merged_into` to the end.

    A merged person's code keeps working: "PE-A" merged into "PE-B", itself merged into
    "PE-C", resolves to PE-C. Raises Person.DoesNotExist for an unknown code or id.
    """
    if isinstance(code_or_person, Person | int):
        # Re-read even a Person instance: it may predate the merge that made it a tombstone.
        pk = code_or_person.pk if isinstance(code_or_person, Person) else code_or_person
        person = Person.objects.get(pk=pk)
    else:
        person = Person.objects.get(code=normalise_code(code_or_person))
    seen = {person.pk}
    while person.merged_into_id is not None:
        person = Person.objects.get(pk=person.merged_into_id)
        if person.pk in seen or len(seen) > _MAX_CHAIN:
            raise ValueError(f"The merge chain of {person.code} loops; check its merge records.")
        seen.add(person.pk)
    return person


def cluster_ids(person: Person) -> set[int]:
    """The person's id and the ids of every person merged into it, directly or in a chain."""
    ids = {person.pk}
    frontier = [person.pk]
    while frontier and len(ids) < 10_000:
        children = Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in children if pk not in ids]
        ids.update(frontier)
    return ids


def persons_known_different(
    left: Person,
    right: Person,
    *,
    left_ids: set[int] | None = None,
    right_ids: set[int] | None = None,
) -> bool:
    """Whether a reviewer decided that the two persons (or persons merged into them) differ."""
    left_ids = left_ids if left_ids is not None else cluster_ids(left)
    right_ids = right_ids if right_ids is not None else cluster_ids(right)
    return (
        DuplicateCandidate.objects.filter(decision=Decision.DIFFERENT)
        .filter(
            Q(person_a_id__in=left_ids, person_b_id__in=right_ids)
            | Q(person_a_id__in=right_ids, person_b_id__in=left_ids)
        )
        .exists()
    )


def merge_list(*, person: Person | None = None) -> QuerySet[MergeRecord]:
    """Merges, newest first; with `person`, those where it survived or was merged."""
    merges = MergeRecord.objects.select_related(
        "survivor", "merged", "merged_by", "undone_by", "candidate"
    ).order_by("-merged_at", "-pk")
    if person is not None:
        merges = merges.filter(Q(survivor=person) | Q(merged=person))
    return merges


def merge_is_latest(merge: MergeRecord) -> bool:
    """Whether no later, still active merge touches either of its persons (so it can be undone)."""
    persons = [merge.survivor_id, merge.merged_id]
    return not (
        MergeRecord.objects.filter(pk__gt=merge.pk, undone_at__isnull=True)
        .filter(Q(survivor_id__in=persons) | Q(merged_id__in=persons))
        .exists()
    )
