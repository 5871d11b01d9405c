"""Possible existing registrations for what a school user is typing (and submits).

The typed values go through the same linkage engine as an imported roster row
(`participants.matching.row_candidates`): a valid DNI that any record of an active person
shows, then the engine over every identity record of each candidate person, pooled per
person and weighted by how rare the agreeing values are. Every person at or above the review
threshold is a candidate.

The answer is split by what the user may see (`accounts.access.persons_as_seen_by`): a
person the school brought to the registry comes back with code, name, the engine's reasons
and its probability; a person enrolled in the school's cohorts but brought by another school
with its code only ("ya registrada"); a match anywhere else only as a yes/no hint, so a
school learns that the person may already be registered - and should ask the registry
administrator - without learning who, where or when.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from accounts.access import persons_as_seen_by, persons_visible_to
from participants.documents import normalise_dni
from participants.linkage_store import ModelInUse
from participants.matching import row_candidates
from participants.models import Person, PersonStatus
from participants.names import fold
from participants.phonetic import name_keys

MAX_SHOWN = 10
# Fewer letters than this match too many people to be a useful hint.
MIN_NAME_LETTERS = 2

REASON_DNI = "mismo DNI"
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
class ScoredPerson:
    """A registry person the typed values may describe (not yet cut down to what a user
    may read: for services and the audit log, never for a page)."""

    person_id: int
    probability: float
    reasons: str
    same_document: bool = False


@dataclass(frozen=True)
class RegistrationScores:
    persons: tuple[ScoredPerson, ...] = ()  # best first
    model: ModelInUse | None = None

    def at_or_above(self, probability: float) -> tuple[ScoredPerson, ...]:
        return tuple(p for p in self.persons if p.probability >= probability)

    @property
    def likely_registered(self) -> bool:
        """Whether the engine would have linked the row on import (auto-link threshold)."""
        return bool(self.at_or_above(settings.LINKAGE_AUTO_LINK_THRESHOLD))


@dataclass(frozen=True)
class MatchCandidate:
    code: str
    name: str
    reasons: tuple[str, ...]
    probability: str = ""  # es-PE decimal, e.g. "0.97"; '' when withheld


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


def probability_text(probability: float) -> str:
    """Two decimals, rounded down: a 0.996 is shown as 0.99, never as a certain 1.00."""
    return f"{math.floor(probability * 100) / 100:.2f}"


def registration_scores(
    *,
    given_names: str,
    paternal_surname: str,
    maternal_surname: str = "",
    dni: str = "",
    sex: str = "",
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
) -> RegistrationScores:
    """The registry persons the typed values may describe, by the import's linkage engine."""
    checked = normalise_dni(dni) if dni else None
    dni_value = checked.value if checked and not checked.problem else ""
    first_given = fold(given_names).split(" ")[0] if fold(given_names) else ""
    paternal = fold(paternal_surname)
    use_names = len(paternal) >= MIN_NAME_LETTERS and len(first_given) >= MIN_NAME_LETTERS
    if not dni_value and not use_names:
        return RegistrationScores()
    found = row_candidates(
        {
            "given_names": fold(given_names) if use_names else "",
            "paternal_surname": paternal if use_names else "",
            "maternal_surname": fold(maternal_surname) if use_names else "",
            "dni": dni_value,
            "document_type": "dni" if dni_value else "",
            "document_number": dni_value,
            "sex": sex if sex in ("F", "M", "X") else "",
            "birth_date": birth_date.isoformat() if birth_date else "",
            "email": email.strip().lower(),
            "phone": phone.strip(),
        }
    )
    persons: list[ScoredPerson] = []
    if found.document_holder is not None:
        persons.append(ScoredPerson(found.document_holder, 1.0, REASON_DNI, same_document=True))
    persons.extend(
        ScoredPerson(match.person_id, match.probability, match.reasons)
        for match in found.matches
        if match.person_id != found.document_holder
    )
    active = set(
        Person.objects.filter(
            pk__in=[p.person_id for p in persons], status=PersonStatus.ACTIVE
        ).values_list("pk", flat=True)
    )
    persons = [p for p in persons if p.person_id in active]
    persons.sort(key=lambda p: (not p.same_document, -p.probability, p.person_id))
    return RegistrationScores(tuple(persons), found.model)


def registration_matches_as_seen(
    *, user: Any, scores: RegistrationScores, typed: dict[str, str] | None = None
) -> RegistrationMatches:
    """`scores` as `user` may read them (see the module docstring).

    `typed`: the e-mail and phone the user typed; an agreement on them is shown only for a
    value the user may read (not one another school supplied)."""
    if not scores.persons:
        return RegistrationMatches()
    by_pk = Person.objects.in_bulk([p.person_id for p in scores.persons])
    ordered = [p for p in scores.persons if p.person_id in by_pk]
    seen = persons_as_seen_by(user, [by_pk[p.person_id] for p in ordered])
    visible: list[MatchCandidate] = []
    elsewhere = False
    for scored, person in zip(ordered, seen, strict=True):
        if not person.code:
            elsewhere = True
        elif person.details_withheld:  # type: ignore[attr-defined]
            visible.append(MatchCandidate(person.code, person.seen_name, ()))  # type: ignore[attr-defined]
        else:
            visible.append(
                MatchCandidate(
                    person.code,
                    person.full_name,
                    _readable_reasons(scored.reasons, by_pk[scored.person_id], person, typed or {}),
                    probability_text(scored.probability),
                )
            )
    return RegistrationMatches(
        visible=tuple(visible[:MAX_SHOWN]),
        registered_elsewhere=elsewhere,
        matched_codes=tuple(by_pk[p.person_id].code for p in ordered),
    )


def registration_candidates(
    *,
    user: Any,
    given_names: str,
    paternal_surname: str,
    maternal_surname: str = "",
    dni: str = "",
    sex: str = "",
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
) -> RegistrationMatches:
    """The live hint while typing: every candidate above the review threshold, as seen.

    A hint answers for a person, never for a DNI: without names nothing is looked up, and a
    DNI held by someone the user may not see counts only if the typed names agree with
    theirs (as the registration itself requires), so the hint cannot tell whether a DNI is
    registered under other names."""
    if not _names_usable(given_names, paternal_surname):
        return RegistrationMatches()
    scores = registration_scores(
        given_names=given_names,
        paternal_surname=paternal_surname,
        maternal_surname=maternal_surname,
        dni=dni,
        sex=sex,
        birth_date=birth_date,
        email=email,
        phone=phone,
    )
    return registration_matches_as_seen(
        user=user,
        scores=_without_hidden_dni_of_other_names(
            user=user, scores=scores, given_names=given_names, paternal_surname=paternal_surname
        ),
        typed={"email": email, "phone": phone},
    )


def _names_usable(given_names: str, paternal_surname: str) -> bool:
    first_given = fold(given_names).split(" ")[0] if fold(given_names) else ""
    return len(fold(paternal_surname)) >= MIN_NAME_LETTERS and len(first_given) >= MIN_NAME_LETTERS


def _without_hidden_dni_of_other_names(
    *, user: Any, scores: RegistrationScores, given_names: str, paternal_surname: str
) -> RegistrationScores:
    holders = [p.person_id for p in scores.persons if p.same_document]
    if not holders:
        return scores
    visible = set(persons_visible_to(user).filter(pk__in=holders).values_list("pk", flat=True))
    typed = name_keys(
        given_names=given_names, paternal_surname=paternal_surname, maternal_surname=""
    )
    keys = {
        pk: (paternal_key, given_key)
        for pk, paternal_key, given_key in Person.objects.filter(pk__in=holders).values_list(
            "pk", "paternal_key", "given_key"
        )
    }
    kept = tuple(
        p
        for p in scores.persons
        if not p.same_document
        or p.person_id in visible
        or keys.get(p.person_id) == (typed["paternal_key"], typed["given_key"])
    )
    return RegistrationScores(kept, scores.model)


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
