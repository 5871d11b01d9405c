"""Possible existing registrations for what a school user is typing.

The answer is split by what the user may see: persons already visible to them (enrolled in
their school's cohorts) come back with code, name and why; a match anywhere else in the
registry is reported only as a yes/no hint, so a school learns that the person may already be
registered - and should ask the registry administrator - without learning who, where or when.

Today a match is an exact valid DNI, or surname and first given name with the same Spanish
phonetic key (the indexed `Person.paternal_key` / `given_key` columns) and a maternal surname
that does not disagree. The linkage engine replaces the body of `registration_candidates`
without its callers changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from accounts.access import persons_visible_to
from participants.documents import DocumentType, normalise_dni
from participants.models import Person, PersonStatus
from participants.names import fold
from participants.phonetic import spanish_phonetic_key

MAX_CANDIDATES = 50
MAX_SHOWN = 10
# Fewer letters than this match too many people to be a useful hint.
MIN_NAME_LETTERS = 2

REASON_DNI = "mismo DNI"
REASON_NAME = "nombre y apellido paterno suenan igual"
REASON_EXACT_NAME = "mismo nombre completo"
REASON_MATERNAL = "mismo apellido materno"


@dataclass(frozen=True)
class MatchCandidate:
    code: str
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RegistrationMatches:
    visible: tuple[MatchCandidate, ...] = ()
    # True when someone the user may not see matches: a hint, never who.
    registered_elsewhere: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "matches": [
                {"code": m.code, "name": m.name, "reasons": list(m.reasons)} for m in self.visible
            ],
            "registered_elsewhere": self.registered_elsewhere,
        }


def registration_candidates(
    *,
    user: Any,
    given_names: str,
    paternal_surname: str,
    maternal_surname: str = "",
    dni: str = "",
) -> RegistrationMatches:
    dni_value = normalise_dni(dni).value if dni else ""
    first_given = fold(given_names).split(" ")[0] if fold(given_names) else ""
    paternal = fold(paternal_surname)
    maternal = fold(maternal_surname)

    query = Q()
    if dni_value:
        query |= Q(document_type=DocumentType.DNI, document_number=dni_value)
    use_names = len(paternal) >= MIN_NAME_LETTERS and len(first_given) >= MIN_NAME_LETTERS
    if use_names:
        query |= Q(
            paternal_key=spanish_phonetic_key(paternal),
            given_key=spanish_phonetic_key(first_given),
        )
    if not query:
        return RegistrationMatches()

    maternal_key = spanish_phonetic_key(maternal)
    found: list[tuple[Person, tuple[str, ...]]] = []
    for person in Person.objects.filter(query, status=PersonStatus.ACTIVE)[:MAX_CANDIDATES]:
        same_dni = bool(dni_value) and person.document_number == dni_value
        if not same_dni:
            # Two different DNIs are two people; a different maternal surname is a strong
            # sign too (Quispe Mamani is not Quispe Flores).
            if dni_value and person.document_number:
                continue
            if maternal_key and person.maternal_key and maternal_key != person.maternal_key:
                continue
        reasons: list[str] = []
        if same_dni:
            reasons.append(REASON_DNI)
        if use_names and person.paternal_key == spanish_phonetic_key(paternal):
            exact = (
                fold(person.paternal_surname) == paternal
                and fold(person.given_names) == fold(given_names)
                and (not maternal or fold(person.maternal_surname) == maternal)
            )
            reasons.append(REASON_EXACT_NAME if exact else REASON_NAME)
            if maternal_key and person.maternal_key == maternal_key and not exact:
                reasons.append(REASON_MATERNAL)
        found.append((person, tuple(reasons)))

    if not found:
        return RegistrationMatches()
    visible_ids = set(
        persons_visible_to(user)
        .filter(pk__in=[person.pk for person, _ in found])
        .values_list("pk", flat=True)
    )
    visible = [
        MatchCandidate(person.code, person.full_name, reasons)
        for person, reasons in found
        if person.pk in visible_ids
    ]
    visible.sort(key=lambda m: (REASON_DNI not in m.reasons, m.name))
    return RegistrationMatches(
        visible=tuple(visible[:MAX_SHOWN]),
        registered_elsewhere=any(person.pk not in visible_ids for person, _ in found),
    )
