"""Possible duplicates of a cancelled person that nobody has decided on yet.

Such a pair leaves the review queue with the cancellation (the queue shows active persons
only, and the cancelled side has nothing left to compare), yet the other person may be the
same human under another spelling, still holding her data. That person is not cancelled
automatically: a pair is a doubt, not a finding, and cancelling a different person would
destroy their data for good. Their codes are named to the administrator who carries out
the cancellation, who can compare them with the request itself (the requester's DNI and
names) and cancel them too; the audit event keeps the codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from data_requests.common import with_tombstones
from participants.models import Decision, DuplicateCandidate, Person, PersonStatus


def pending_partners_of(*, person: Person) -> list[Person]:
    """Before a cancellation: the active persons paired with her in an undecided pair, for
    the confirmation page to show."""
    ids = [p.pk for p in with_tombstones(person)]
    candidates = DuplicateCandidate.objects.filter(
        Q(person_a_id__in=ids) | Q(person_b_id__in=ids), decision=Decision.PENDING
    )
    codes = pending_partners(candidates, ids)
    return list(Person.objects.filter(code__in=codes).order_by("code"))


def pending_partners(candidates: Iterable[DuplicateCandidate], ids: list[int]) -> tuple[str, ...]:
    """The codes of the active persons paired with her in an undecided pair."""
    own = set(ids)
    partners = {
        candidate.person_b_id if candidate.person_a_id in own else candidate.person_a_id
        for candidate in candidates
        if candidate.decision == Decision.PENDING
    } - own
    codes = Person.objects.filter(pk__in=partners, status=PersonStatus.ACTIVE).values_list(
        "code", flat=True
    )
    return tuple(sorted(codes))
