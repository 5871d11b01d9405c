"""Read-side queries about persons: resolving codes through merges, clusters and merge history."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participants.codes import normalise_code
from participants.merge_chains import chain_end, chain_members
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person


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
    if person.merged_into_id is None:
        return person
    # Read the chain's pointers one person at a time (chains are short), then walk them.
    parent: dict[int, int | None] = {person.pk: person.merged_into_id}
    pending: int | None = person.merged_into_id
    while pending is not None and pending not in parent:
        parent[pending] = Person.objects.values_list("merged_into_id", flat=True).get(pk=pending)
        pending = parent[pending]
    return Person.objects.get(pk=chain_end(person.pk, parent))


def cluster_ids(person: Person) -> set[int]:
    """The person's id and the ids of every person merged into it, directly or in a chain."""
    return set(chain_members([person.pk], _merged_into_any))


def _merged_into_any(ids: list[int]) -> list[tuple[int, int]]:
    return list(Person.objects.filter(merged_into_id__in=ids).values_list("pk", "merged_into_id"))


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
