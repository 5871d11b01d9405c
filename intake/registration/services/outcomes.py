"""What a school registration answers: its result, a refusal, or a question first.

Kept apart from `registering` because the linkage candidates' step raises them too, and the
school pages catch them: a refusal's message is shown to the school, and the question carries
only what the user may see of the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

from courses.minors import NOT_MINOR, MinorStatus
from courses.models import Enrollment
from intake.registration.matching.as_seen import RegistrationMatches
from participants.models import Person


class RegistrationRefused(Exception):
    """A registration that must not happen; the message is safe to show to the school."""


class RegistrationNeedsConfirmation(Exception):
    """The person seems registered already: the user chooses before anything is written.

    `matches` is what the user may see of the candidates (never another school's data).
    """

    def __init__(self, matches: RegistrationMatches) -> None:
        super().__init__("The person seems to be registered already.")
        self.matches = matches


@dataclass(frozen=True)
class RegistrationResult:
    enrollment: Enrollment
    person: Person
    existing_person: bool
    minor: MinorStatus = NOT_MINOR  # the participant's age at the training, as known
    # The user said the person is one already enrolled in the cohort: nothing was written.
    already_enrolled: bool = False
