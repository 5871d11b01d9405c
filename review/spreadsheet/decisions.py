"""The import: the decisions filled in an export, applied through the review services."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from accounts.access.user_scope import is_registry_admin
from audit.services import COMMAND_LINE
from participants.codes import normalise_code
from participants.linkage.clustering import dni_typo_apart
from participants.models import Decision, DuplicateCandidate, Person, PersonStatus
from participants.selectors import person_resolve
from review.merging import MergeError
from review.merging.common import lock_persons
from review.selectors import OPEN_DECISIONS
from review.services import ReviewError, candidate_decide
from review.spreadsheet.files import (
    DECISION_HEADER,
    REQUIRED_COLUMNS,
    SheetError,
    SheetRow,
    headers_named,
)
from review.spreadsheet.reading import sheet_read

# "Same person, although the two DNIs differ": the sheet's explicit confirmation, which the
# review page gives with its checkbox. Applied as "same" with the merge forced.
SAME_DESPITE_DOCUMENTS = "same_despite_documents"
CONFIRM_WORDS = "misma (DNI distinto)"
# Accepted words (folded: lower case, no accents, punctuation as spaces, single spaces) ->
# service decision.
DECISION_WORDS = {
    "same": "same",
    "misma": "same",
    "mismo": "same",
    "misma dni distinto": SAME_DESPITE_DOCUMENTS,
    "mismo dni distinto": SAME_DESPITE_DOCUMENTS,
    "misma persona dni distinto": SAME_DESPITE_DOCUMENTS,
    "same different dni": SAME_DESPITE_DOCUMENTS,
    "different": "different",
    "distinta": "different",
    "distinto": "different",
    "skip": "skip",
    "omitir": "skip",
}
# Keyed by a row's `decision` and `status`, plain strings on a loaded row.
DECISION_LABELS: dict[str, str] = {
    Decision.SAME: "misma persona",
    Decision.DIFFERENT: "personas distintas",
}
STATUS_LABELS: dict[str, str] = {
    PersonStatus.MERGED: "fusionado",
    PersonStatus.CANCELLED: "cancelado",
}

# What a reported row is: decided already, changed since the export, or not understood.
ALREADY, STALE, ERROR = "already", "stale", "error"


class ReviewImportError(Exception):
    """The import cannot start (file, columns, actor); the message says why, in Spanish."""


@dataclass(frozen=True)
class RowIssue:
    row: int
    pair_id: str
    kind: str  # ALREADY, STALE or ERROR
    message: str

    def __str__(self) -> str:
        pair = f", par {self.pair_id}" if self.pair_id else ""
        return f"fila {self.row}{pair}: {self.message}"


@dataclass
class ImportReport:
    applied: Counter[str] = field(default_factory=Counter)  # "same"/"different"/"skip"
    undecided: int = 0
    issues: list[RowIssue] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for issue in self.issues if issue.kind == kind)


def review_actor(*, username: str | None) -> User | None:
    """The user a decision is recorded under; None (the command line) when no name is given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise ReviewImportError(f"el usuario '{username}' no existe")
    if not is_registry_admin(user):
        raise ReviewImportError(
            f"el usuario '{username}' no es administrador del registro: no puede decidir pares"
        )
    return user


def decision_word(value: str) -> str | None:
    """The service decision for a word of the sheet ("Misma " -> "same"); None if unknown."""
    text = unicodedata.normalize("NFKD", value.strip())
    folded = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    words = "".join(char if char.isalnum() else " " for char in folded).split()
    return DECISION_WORDS.get(" ".join(words))


def review_import(*, path: Path, actor: User | None) -> ImportReport:
    """Apply the decisions of a filled-in export; each row in its own transaction."""
    try:
        sheet = sheet_read(path)
    except SheetError as error:
        raise ReviewImportError(str(error)) from error
    missing = [column for column in REQUIRED_COLUMNS if column not in sheet.headers]
    if missing:
        raise ReviewImportError(
            f"{path.name}: faltan las columnas {headers_named(missing)}; "
            "use el archivo que escribe review_export"
        )
    decision_column = sheet.column_letter("decision")
    report = ImportReport()
    for row in sheet.rows:
        word = row.cells.get("decision", "")
        if not word:
            report.undecided += 1
            continue
        decision = decision_word(word)
        pair_id = row.cells.get("pair_id", "")
        if decision is None:
            report.issues.append(
                RowIssue(
                    row.number,
                    pair_id,
                    ERROR,
                    f"columna {DECISION_HEADER} ({decision_column}): «{word}» no es una decisión; "
                    f"use misma/same, distinta/different, omitir/skip o «{CONFIRM_WORDS}»",
                )
            )
            continue
        issue = _apply_row(row, pair_id=pair_id, decision=decision, actor=actor)
        if issue is None:
            report.applied["same" if decision == SAME_DESPITE_DOCUMENTS else decision] += 1
        else:
            report.issues.append(issue)
    return report


def _apply_row(
    row: SheetRow, *, pair_id: str, decision: str, actor: User | None
) -> RowIssue | None:
    def issue(kind: str, message: str) -> RowIssue:
        return RowIssue(row.number, pair_id, kind, message)

    if not (pair_id.isascii() and pair_id.isdigit()):
        return issue(STALE, f"identificador de par no válido («{pair_id}»)")
    confirmed = decision == SAME_DESPITE_DOCUMENTS
    decision = "same" if confirmed else decision
    try:
        with transaction.atomic():
            candidate = _locked_pair(int(pair_id))
            if candidate is None:
                return issue(STALE, "el par ya no existe")
            problem = _already_decided(candidate, decision)
            if problem:
                return issue(ALREADY, problem)
            problem = _stale(candidate, row)
            if problem:
                return issue(STALE, problem)
            candidate_decide(
                candidate=candidate,
                decision=decision,
                actor=actor,
                force=confirmed or (decision == "same" and _dni_typo_pair(candidate)),
                # The service audits the decision (a "same" through its merge).
                source="review_import",
                actor_label=COMMAND_LINE,
            )
    except (ReviewError, MergeError) as error:
        message = f"no se aplicó, el servicio de revisión lo rechazó: {error}"
        if decision == "same" and not confirmed and "documentos distintos" in str(error):
            message += (
                f" Si es la misma persona, escriba «{CONFIRM_WORDS}» en la columna "
                f"{DECISION_HEADER}."
            )
        return issue(ERROR, message)
    return None


def _dni_typo_pair(candidate: DuplicateCandidate) -> bool:
    """Two DNIs one digit or one swap apart, shown side by side in the sheet: a reviewer who
    answers "same" has confirmed that one of them is a typo. DNIs further apart still need
    the review page's explicit confirmation."""
    a, b = candidate.person_a.document_number, candidate.person_b.document_number
    return bool(a and b) and a != b and dni_typo_apart(a, b)


def _locked_pair(pk: int) -> DuplicateCandidate | None:
    """The pair, its two persons locked first in ascending id order as a merge locks them."""
    candidate = DuplicateCandidate.objects.filter(pk=pk).first()
    if candidate is None:
        return None
    lock_persons(candidate.person_a_id, candidate.person_b_id)
    return (
        DuplicateCandidate.objects.select_for_update(of=("self",))
        .select_related("person_a", "person_b")
        .filter(pk=pk)
        .first()
    )


def _already_decided(candidate: DuplicateCandidate, decision: str) -> str:
    """Why the pair needs no decision, or "": decided for good, or skipped and asked to skip."""
    if candidate.decision in OPEN_DECISIONS and not (
        candidate.decision == Decision.SKIPPED and decision == "skip"
    ):
        return ""
    if candidate.decision == Decision.SKIPPED:
        return "ya estaba omitido: sigue al final de la cola"
    text = f"ya decidido: {DECISION_LABELS.get(candidate.decision, candidate.decision)}"
    if candidate.decision == Decision.SAME and decision != "same":
        text += " (para corregirlo, deshaga la fusión en la página de fusiones)"
    return text


def _stale(candidate: DuplicateCandidate, row: SheetRow) -> str:
    """What changed since the export in the pair's persons, or "" when nothing did."""
    for column, person in (
        ("person_a_code", candidate.person_a),
        ("person_b_code", candidate.person_b),
    ):
        if column in row.cells and normalise_code(row.cells[column]) != person.code:
            return _changed_person(row.cells[column], person)
    for person in (candidate.person_a, candidate.person_b):
        if person.status != PersonStatus.ACTIVE:
            return _inactive(person)
    return ""


def _changed_person(code: str, now: Person) -> str:
    exported = Person.objects.filter(code=normalise_code(code)).first()
    if exported is not None and exported.status != PersonStatus.ACTIVE:
        return _inactive(exported)
    return f"el par ya no es el de la planilla: hoy incluye a {now.code}, no a «{code}»"


def _inactive(person: Person) -> str:
    if person.status == PersonStatus.MERGED:
        return f"{person.code} fue fusionado en {person_resolve(person).code} desde la exportación"
    label = STATUS_LABELS.get(person.status, person.status)
    return f"{person.code} ya no está activo ({label})"
