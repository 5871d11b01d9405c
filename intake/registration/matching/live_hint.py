"""The live hint while a school user types a registration: the candidates, as seen.

A hint answers for a person, never for a DNI: without names nothing is looked up, and a DNI
held by someone the user may not see counts only if the typed names agree with theirs (as
the registration itself requires).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.access.rows import persons_visible_to
from intake.registration.matching.as_seen import RegistrationMatches, registration_matches_as_seen
from intake.registration.matching.scoring import (
    MIN_NAME_LETTERS,
    RegistrationScores,
    registration_scores,
)
from participants.models import Person
from participants.names import fold
from participants.phonetic import name_keys


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
