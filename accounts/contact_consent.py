"""Whether a person agrees, today, to be contacted for follow-up surveys.

A person's answer is their latest statement (`ContactConsent`, append-only), taken over the
person and everyone merged into them: a merge keeps each record's rows where they were, and a
withdrawal given under either record counts for the person they are now. No row means no
consent: follow-up contact is opt-in.
"""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import ContactConsent
from participants.merge_chains import chain_members
from participants.models import Person


def _merged_into_any(ids: list[int]) -> list[tuple[int, int]]:
    return list(Person.objects.filter(merged_into_id__in=ids).values_list("pk", "merged_into_id"))


def contact_consent_latest(person_ids: Iterable[int]) -> dict[int, ContactConsent]:
    """Each person's latest statement (over their merge cluster), for those who made one."""
    members = chain_members(list(dict.fromkeys(person_ids)), _merged_into_any)
    latest: dict[int, ContactConsent] = {}
    rows = ContactConsent.objects.filter(person_id__in=list(members)).order_by("given_at", "id")
    for row in rows.iterator(chunk_size=2000):
        latest[members[row.person_id]] = row  # later rows overwrite earlier ones
    return latest


def persons_consenting(person_ids: Iterable[int]) -> set[int]:
    """The persons among `person_ids` whose latest statement grants follow-up contact."""
    return {pk for pk, row in contact_consent_latest(person_ids).items() if row.granted}
