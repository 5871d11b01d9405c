"""Which persons are minors today, for whom follow-up contact needs their guardian's say.

Follow-up surveys contact people months or years after the training. A minor is left out
of every contact list unless a parent's or guardian's consent extends to follow-up contact
(`GuardianConsent.allows_follow_up`); from 18 the person decides alone, through their own
consent to follow-up contact (`accounts.contact_consent`), which the follow-up lists read
as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone

from accounts.guardian_consent import guardian_consent_holders
from courses.minors import ADULT_AGE, age_on
from courses.models import Enrollment
from participants.models import Person

# A stated minority without an age (a "Menor de edad: sí" column) is taken to last this long
# after the training: the courses take minors from 14, who are adults four years later.
STATED_MINORITY_YEARS = 4


def minors_without_follow_up_consent(
    person_ids: Iterable[int], *, on: date | None = None
) -> set[int]:
    """The persons among `person_ids` who are minors on `on` (today by default) and whose
    guardian has not consented to follow-up contact.

    A minor: under 18 on `on` by their birth date; without one, by what the roster stated at
    their latest participation: a stated age plus the whole years since that training still
    under 18 (the lower bound: a stated age may be nearly a year old already), or a stated
    minority when that training was less than `STATED_MINORITY_YEARS` ago.
    """
    on = on or timezone.localdate()
    ids = set(person_ids)
    if not ids:
        return set()
    minors: set[int] = set()
    undated: set[int] = set()
    for pk, birth_date in Person.objects.filter(pk__in=ids).values_list("pk", "birth_date"):
        if birth_date is None:
            undated.add(pk)
        elif age_on(birth_date, on) < ADULT_AGE:
            minors.add(pk)
    minors |= _stated_minors(undated, on=on)
    if not minors:
        return set()
    return minors - guardian_consent_holders(minors, allows_follow_up=True)


def _stated_minors(person_ids: set[int], *, on: date) -> set[int]:
    if not person_ids:
        return set()
    latest: dict[int, tuple[date, int | None, bool | None]] = {}
    rows = Enrollment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "cohort__start_date", "created_at", "age_stated", "minor_stated"
    )
    for person_id, start, created, age_stated, minor_stated in rows:
        when = start or timezone.localdate(created)
        # A training yet to come says nothing of the age on `on`.
        if when <= on and (person_id not in latest or when > latest[person_id][0]):
            latest[person_id] = (when, age_stated, minor_stated)
    minors = set()
    for person_id, (when, age_stated, minor_stated) in latest.items():
        if age_stated is not None:
            if age_stated + age_on(when, on) < ADULT_AGE:
                minors.add(person_id)
        elif minor_stated and on - when < timedelta(days=365 * STATED_MINORITY_YEARS + 1):
            minors.add(person_id)
    return minors
