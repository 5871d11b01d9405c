"""The engine's candidates for a registration, as a user may see them.

The answer is split by what the user may see
(`accounts.access.personal_data.persons_as_seen_by`): a person the school brought to the
registry comes back with code, name, the engine's reasons and its probability; a person
enrolled in the school's cohorts but brought by another school with its code only ("ya
registrada"); a match anywhere else only as a yes/no hint, so a school learns that the person
may already be registered - and should ask the registry administrator - without learning who,
where or when.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.access.personal_data import persons_as_seen_by
from accounts.access.rows import persons_visible_to
from courses.models import Cohort, Enrollment
from formats.numbers import probability_shown
from intake.registration.matching.scoring import RegistrationScores
from participants.models import Person

MAX_SHOWN = 10

# Which person field each phrase of the engine's reasons speaks about: a phrase is shown only
# when the user may read that field of the person (a value another school supplied is not).
_REASON_FIELDS = (
    ("DNI", "document_number"),
    ("apellido paterno", "paternal_surname"),
    ("apellido materno", "maternal_surname"),
    ("apellidos invertidos", "maternal_surname"),
    ("nombres", "given_names"),
    ("fecha de nacimiento", "birth_date"),
    ("sexo", "sex"),
    ("correo", "email"),
    ("teléfono", "phone"),
)


@dataclass(frozen=True)
class MatchCandidate:
    code: str
    name: str
    reasons: tuple[str, ...]
    probability: str = ""  # es-PE decimal, e.g. "0.97"; '' when withheld
    # Already enrolled in the cohort the user registers in (a row of its own cohort page).
    in_cohort: bool = False
    # Brought to the registry by another school: the user sees the code, not that school's data.
    other_school: bool = False


@dataclass(frozen=True)
class RegistrationMatches:
    visible: tuple[MatchCandidate, ...] = ()
    # True when someone the user may not see matches: a hint, never who.
    registered_elsewhere: bool = False
    # Every matched person's code, shown or not: for the audit log only, never for a page.
    matched_codes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.visible) or self.registered_elsewhere

    def as_json(self) -> dict[str, Any]:
        return {
            "matches": [
                {
                    "code": m.code,
                    "name": m.name,
                    "reasons": list(m.reasons),
                    "probability": m.probability,
                }
                for m in self.visible
            ],
            "registered_elsewhere": self.registered_elsewhere,
        }


def registration_matches_as_seen(
    *,
    user: Any,
    scores: RegistrationScores,
    typed: dict[str, str] | None = None,
    cohort: Cohort | None = None,
) -> RegistrationMatches:
    """`scores` as `user` may read them (see the module docstring).

    `typed`: the e-mail and phone the user typed; an agreement on them is shown only for a
    value the user may read (not one another school supplied).
    `cohort`: the cohort registered in; a candidate enrolled there says so (the user's own
    cohort page lists them already)."""
    if not scores.persons:
        return RegistrationMatches()
    by_pk = Person.objects.in_bulk([p.person_id for p in scores.persons])
    ordered = [p for p in scores.persons if p.person_id in by_pk]
    seen = persons_as_seen_by(user, [by_pk[p.person_id] for p in ordered])
    in_cohort: set[int] = set()
    if cohort is not None:
        in_cohort = set(
            Enrollment.objects.filter(cohort=cohort, person_id__in=list(by_pk)).values_list(
                "person_id", flat=True
            )
        )
    visible: list[MatchCandidate] = []
    elsewhere = False
    for scored, person in zip(ordered, seen, strict=True):
        if not person.code:
            elsewhere = True
        elif person.details_withheld:  # type: ignore[attr-defined]
            visible.append(
                MatchCandidate(
                    person.code,
                    person.seen_name,  # type: ignore[attr-defined]
                    (),
                    in_cohort=scored.person_id in in_cohort,
                    other_school=True,
                )
            )
        else:
            visible.append(
                MatchCandidate(
                    person.code,
                    person.full_name,
                    _readable_reasons(scored.reasons, by_pk[scored.person_id], person, typed or {}),
                    probability_shown(scored.probability),
                    in_cohort=scored.person_id in in_cohort,
                )
            )
    return RegistrationMatches(
        visible=tuple(visible[:MAX_SHOWN]),
        registered_elsewhere=elsewhere,
        matched_codes=tuple(by_pk[p.person_id].code for p in ordered),
    )


def person_candidate_for(*, user: Any, scores: RegistrationScores, code: str) -> Person | None:
    """The candidate of `scores` with participant code `code`, if `user` may enroll it (it is
    one of the persons they see); None otherwise."""
    ids = [p.person_id for p in scores.persons]
    return persons_visible_to(user).filter(pk__in=ids, code=code).first() if code else None


def _readable_reasons(
    reasons: str, person: Person, seen: Person, typed: dict[str, str]
) -> tuple[str, ...]:
    """The engine's reasons about the fields of `person` the user may read.

    The engine compares the typed e-mail and phone with every identity record of the person,
    so "correo igual" may speak of an address another school supplied even when the user
    reads a different one: it is shown only when the typed value is the one the user reads.
    """
    unreadable = {
        field
        for _phrase, field in _REASON_FIELDS
        if getattr(seen, field) in (None, "") or getattr(seen, field) != getattr(person, field)
    }
    for field in _CONTACT_FIELDS:
        if _contact_key(field, typed.get(field, "")) != _contact_key(field, getattr(seen, field)):
            unreadable.add(field)
    parts = [part.strip() for part in reasons.split(";") if part.strip()]
    return tuple(
        part
        for part in parts
        if not any(phrase in part and field in unreadable for phrase, field in _REASON_FIELDS)
    )


_CONTACT_FIELDS = ("email", "phone")


def _contact_key(field: str, value: str | None) -> str:
    """An e-mail compared without case, a phone by its digits (as the engine compares them)."""
    text = (value or "").strip().lower()
    return "".join(ch for ch in text if ch.isdigit()) if field == "phone" else text
