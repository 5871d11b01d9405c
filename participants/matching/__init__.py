"""Who each roster row is: the single seam between the import and the linkage engine.

A person is a cluster of identity records (`participants.models.IdentityRecord`): every
roster row, registration and correction that described them. `match_rows` takes staged rows
in the canonical record schema and says, for each, whether it is a new person, an existing
one, a possible duplicate for review, or a repeat of another row of the same file:
1. a valid DNI (or other document) that any record of an active person shows links to that
   person - the document is the strongest evidence there is;
2. every other row is scored by the engine against each record of every person that shares
   a blocking key with it (fetched through indexed columns), the evidence pooled per person
   (`participants.linkage.grouped.linking`), with the stored model and whole-registry term
   frequencies: at or above the auto-link threshold it links, between the thresholds it goes
   to review, below it is new. A valid DNI the person never showed blocks an automatic link;
3. within the file, rows the engine finds to be one person (the same DNI, or names and
   contacts that agree) are one person listed twice: the later rows repeat the first.

Input: a DataFrame indexed by the staged row position with string columns ('' for missing)
given_names, paternal_surname, maternal_surname (folded), dni (8 digits or ''), sex, birth_date
('YYYY-MM-DD' or ''), email, phone, institution, role, region; optionally document_type and
document_number for other identity documents (foreign resident card, passport).
`record_row` makes such a row from `IdentityValues`, the one description of a person that
roster rows, forms and identity records share.
Output: the same index with columns person_id (Int64, existing person or <NA>), outcome
('new' | 'linked' | 'review' | 'repeated'), score (float 0..1), reason (text), same_as_row
(Int64, the first row of a repeat) and review_person_id (Int64, the person to compare with).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

from formats.numbers import probability_shown
from participants.identity.records import IdentityValues
from participants.linkage import LinkageConfig, bits_from_probability
from participants.linkage.keys import OPTIONAL_COLUMNS, TEXT_COLUMNS
from participants.linkage_store import ModelInUse, linkage_model_in_use
from participants.matching.candidates import RegistryMatch, registry_candidates, registry_matches
from participants.matching.documents import document_keys, persons_with_documents
from participants.matching.frequencies import RegistryCounts
from participants.matching.within_file import file_clusters
from participants.names import fold

OUTCOME_NEW = "new"
OUTCOME_LINKED = "linked"
OUTCOME_REVIEW = "review"
OUTCOME_REPEATED = "repeated"

RECORD_COLUMNS = (*TEXT_COLUMNS, *OPTIONAL_COLUMNS)
RESULT_COLUMNS = ("person_id", "outcome", "score", "reason", "same_as_row", "review_person_id")
# The record schema: the engine's columns, and the document that step 1 looks up.
DOCUMENT_COLUMNS = ("document_type", "document_number")


def record_row(values: IdentityValues) -> dict[str, str]:
    """One description of a person as a row of the record schema (`match_rows`,
    `row_candidates`): the one place where a roster row or a form's values become the
    engine's strings - names folded, the `dni` column only for a DNI, sex only when it says
    F, M or X, the birth date as ISO, the e-mail in lower case."""
    return {
        "given_names": fold(values.given_names),
        "paternal_surname": fold(values.paternal_surname),
        "maternal_surname": fold(values.maternal_surname),
        "dni": values.dni,
        "sex": values.known_sex,
        "birth_date": values.birth_date.isoformat() if values.birth_date else "",
        "email": values.email_key,
        "phone": values.phone.strip(),
        "institution": values.institution,
        "role": values.role,
        "region": values.region,
        "document_type": values.stated_document_type,
        "document_number": values.document_number,
    }


def linkage_config() -> LinkageConfig:
    """The engine's thresholds from settings (given as match probabilities)."""
    return LinkageConfig(
        upper_threshold=bits_from_probability(settings.LINKAGE_AUTO_LINK_THRESHOLD),
        lower_threshold=bits_from_probability(settings.LINKAGE_REVIEW_THRESHOLD),
    )


def match_rows(rows: pd.DataFrame, *, model: ModelInUse | None = None) -> pd.DataFrame:
    rows = rows.reindex(
        columns=[*RECORD_COLUMNS, *rows.columns.difference(list(RECORD_COLUMNS))], fill_value=""
    )
    config = linkage_config()
    model = model or linkage_model_in_use(config)
    n = len(rows)
    positions = list(rows.index)
    person_id: list[int | None] = [None] * n
    outcome = [OUTCOME_NEW] * n
    score = [0.0] * n
    reason = ["sin coincidencias en el registro"] * n
    review_person: list[int | None] = [None] * n
    # What the registry says about how common values are, read once for both passes.
    counts = RegistryCounts()

    # 1. An active person whose records show the row's document.
    documents = document_keys(rows)
    holders = persons_with_documents({key for key in documents if key})
    for index, key in enumerate(documents):
        if key in holders:
            person_id[index] = holders[key]
            outcome[index] = OUTCOME_LINKED
            score[index] = 1.0
            reason[index] = (
                "mismo DNI que una persona del registro"
                if key.startswith("dni:")
                else "mismo documento que una persona del registro"
            )

    # 2. The engine, for the rows still unmatched, against every record of each candidate.
    pending = [
        index
        for index in range(n)
        if outcome[index] == OUTCOME_NEW and rows.iloc[index]["paternal_surname"]
    ]
    for index, best in registry_matches(rows.iloc[pending], pending, config, model, counts).items():
        probability = best.probability
        score[index] = round(probability, 4)
        if best.decision == "link":
            person_id[index] = best.person_id
            outcome[index] = OUTCOME_LINKED
            reason[index] = (
                f"coincidencia probable, p={probability_shown(probability)}: {best.reasons}"
            )
        else:
            review_person[index] = best.person_id
            outcome[index] = OUTCOME_REVIEW
            reason[index] = (
                f"coincidencia dudosa, p={probability_shown(probability)}: {best.reasons}"
            )

    # 3. Within the file: rows of one person are one person listed more than once.
    same_as: list[int | None] = [None] * n
    for cluster in file_clusters(rows, documents, person_id, config, model, counts):
        linked = [i for i in cluster if outcome[i] == OUTCOME_LINKED]
        persons = {person_id[i] for i in linked}
        if len(persons) > 1:
            continue  # rows linked to different persons: the links stand, a reviewer decides
        first = linked[0] if linked else cluster[0]
        for index in cluster:
            if index == first:
                continue
            same_document = bool(documents[index]) and documents[index] == documents[first]
            outcome[index] = OUTCOME_REPEATED
            same_as[index] = positions[first]
            person_id[index] = person_id[first]
            review_person[index] = None
            score[index] = 1.0 if same_document else score[index]
            reason[index] = (
                "mismo DNI que otra fila de este archivo"
                if same_document and documents[index].startswith("dni:")
                else "mismo documento que otra fila de este archivo"
                if same_document
                else "la misma persona que otra fila de este archivo"
            )

    return pd.DataFrame(
        {
            "person_id": pd.array(person_id, dtype="Int64"),
            "outcome": pd.array(outcome, dtype="object"),
            "score": pd.array(score, dtype="float64"),
            "reason": pd.array(reason, dtype="object"),
            "same_as_row": pd.array(same_as, dtype="Int64"),
            "review_person_id": pd.array(review_person, dtype="Int64"),
        },
        index=rows.index,
    )


@dataclass(frozen=True)
class RowCandidates:
    """Who one row may be: the person whose records show its document, and every person the
    engine scores at or above the review threshold (best first), with the model that did."""

    document_holder: int | None
    matches: tuple[RegistryMatch, ...]
    model: ModelInUse


def row_candidates(row: Mapping[str, str], *, model: ModelInUse | None = None) -> RowCandidates:
    """One row in the record schema of `match_rows` against the registry, by the same two
    steps (document, then the engine over every record of each candidate person); what to
    do with the answer is the caller's (a school registration asks the user first)."""
    frame = pd.DataFrame(
        [{column: str(row.get(column) or "") for column in RECORD_COLUMNS}], dtype=object
    )
    config = linkage_config()
    model = model or linkage_model_in_use(config)
    key = document_keys(frame)[0]
    holder = persons_with_documents({key}).get(key) if key else None
    found: list[RegistryMatch] = []
    if frame.iloc[0]["paternal_surname"]:
        found = registry_candidates(frame, [0], config, model).get(0, [])
    return RowCandidates(holder, tuple(found), model)
