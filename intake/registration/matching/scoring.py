"""The registry persons a registration's typed values may describe, as the engine scores them.

The typed values go through the same linkage engine as an imported roster row
(`participants.matching.row_candidates`): a valid DNI that any record of an active person
shows, then the engine over every identity record of each candidate person, pooled per
person and weighted by how rare the agreeing values are. Every person at or above the review
threshold is a candidate.

These scores are not cut down to what a user may read: they are for the services and the
audit log, never for a page (`as_seen` is what a page shows of them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from participants.documents import normalise_dni
from participants.identity.records import IdentityValues
from participants.linkage_store import ModelInUse
from participants.matching import record_row, row_candidates
from participants.models import Person, PersonStatus
from participants.names import fold

# Fewer letters than this match too many people to be a useful hint.
MIN_NAME_LETTERS = 2

REASON_DNI = "mismo DNI"


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
        record_row(
            IdentityValues(
                given_names=given_names if use_names else "",
                paternal_surname=paternal_surname if use_names else "",
                maternal_surname=maternal_surname if use_names else "",
                document_number=dni_value,
                sex=sex,
                birth_date=birth_date,
                email=email,
                phone=phone,
            )
        )
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
