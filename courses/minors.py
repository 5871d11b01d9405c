"""Whether a participation is a minor's: under 18 at the training, and whether under 14.

Peru's Ley 29733 regulation asks for the consent of the parents or guardian to process the
data of someone under 14; from 14 a minor may consent (except for some acts), and at 18 the
person decides alone. The age that counts is the age *at the training*: the cohort's start
date, or, for a cohort without one, the day the participation was recorded.

The evidence, in order: the person's birth date when the registry knows it (read from the
person each time, so nothing stored goes stale when a birth date is added or corrected);
otherwise what the roster stated for that training, kept on the enrollment (`age_stated`,
`minor_stated`). No "is a minor" is ever stored on the person: it would be wrong by their
next birthday.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from courses.models import Cohort, Enrollment

ADULT_AGE = 18
# Below this age the parents' or guardian's consent is needed (Ley 29733's regulation).
GUARDIAN_CONSENT_AGE = 14

MINOR_LABEL = "menor de edad"
UNDER_14_LABEL = "menor de 14 años"


@dataclass(frozen=True)
class MinorStatus:
    """What is known of a participant's age at one training."""

    minor: bool
    under_14: bool
    age: int | None  # in whole years, when known

    @property
    def label(self) -> str:
        """ "menor de 14 años", "menor de edad" or "" (an adult, or nothing known)."""
        if self.under_14:
            return UNDER_14_LABEL
        return MINOR_LABEL if self.minor else ""

    def describe(self, *, at: str = "al inicio del curso") -> str:
        """ "menor de 14 años (13 al inicio del curso)", for flags and messages."""
        if not self.label:
            return ""
        return f"{self.label} ({self.age} {at})" if self.age is not None else self.label


NOT_MINOR = MinorStatus(minor=False, under_14=False, age=None)


def age_on(birth_date: date, on: date) -> int:
    """Whole years completed on `on` (a birthday counts from its day)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def minor_status(
    *,
    birth_date: date | None,
    age_stated: int | None = None,
    minor_stated: bool | None = None,
    on: date,
) -> MinorStatus:
    """The status at `on` from the best evidence: birth date, then a stated age, then a
    stated minority (which says nothing of being under 14)."""
    age = age_on(birth_date, on) if birth_date is not None else age_stated
    if age is not None:
        return MinorStatus(minor=age < ADULT_AGE, under_14=age < GUARDIAN_CONSENT_AGE, age=age)
    return MinorStatus(minor=bool(minor_stated), under_14=False, age=None)


def training_date(cohort: Cohort, *, recorded_on: date | None = None) -> date:
    """The day whose age counts: the cohort's start, else when the participation was
    recorded (today, for one being recorded now)."""
    return cohort.start_date or recorded_on or timezone.localdate()


def enrollment_minor_status(enrollment: Enrollment) -> MinorStatus:
    """The one answer to "is this participation a minor's, and under 14?"."""
    recorded = timezone.localdate(enrollment.created_at) if enrollment.created_at else None
    return minor_status(
        birth_date=enrollment.person.birth_date,
        age_stated=enrollment.age_stated,
        minor_stated=enrollment.minor_stated,
        on=training_date(enrollment.cohort, recorded_on=recorded),
    )
