"""Who each roster row is: the single seam between the import and the linkage engine.

`match_rows` takes staged rows in the canonical record schema and says, for each, whether it
is a new person, an existing one, a possible duplicate for review, or a repeat of an earlier
row of the same file. Today it links on an exact, valid DNI only; the probabilistic engine in
`participants.linkage` plugs in here without the import changing.

Input: a DataFrame indexed by the staged row position with string columns ('' for missing)
given_names, paternal_surname, maternal_surname (folded), dni (8 digits or ''), sex, birth_date
('YYYY-MM-DD' or ''), email, phone, institution, role, region; optionally document_type and
document_number for other identity documents (foreign resident card, passport).
Output: the same index with columns person_id (Int64, existing person or <NA>), outcome
('new' | 'linked' | 'review' | 'repeated'), score (float 0..1), reason (text), same_as_row
(Int64, the first row of a repeat) and review_person_id (Int64, the person to compare with).
"""

from __future__ import annotations

import pandas as pd

from participants.models import Person, PersonStatus

OUTCOME_NEW = "new"
OUTCOME_LINKED = "linked"
OUTCOME_REVIEW = "review"
OUTCOME_REPEATED = "repeated"

RECORD_COLUMNS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "dni",
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution",
    "role",
    "region",
)
RESULT_COLUMNS = ("person_id", "outcome", "score", "reason", "same_as_row", "review_person_id")


def match_rows(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.reindex(
        columns=[*RECORD_COLUMNS, *rows.columns.difference(RECORD_COLUMNS)], fill_value=""
    )
    positions = list(rows.index)
    person_id: list[object] = [pd.NA] * len(positions)
    outcome = [OUTCOME_NEW] * len(positions)
    score = [0.0] * len(positions)
    reason = ["sin coincidencias en el registro"] * len(positions)
    same_as: list[object] = [pd.NA] * len(positions)
    documents = _document_keys(rows)
    names = _name_keys(rows)

    # Within the file: the same document, or (without one) the same name and birth date.
    first_of: dict[str, int] = {}
    for index in range(len(positions)):
        key = documents[index] or names[index]
        if not key:
            continue
        if key not in first_of:
            first_of[key] = index
            continue
        outcome[index] = OUTCOME_REPEATED
        same_as[index] = positions[first_of[key]]
        score[index] = 1.0
        reason[index] = (
            "mismo DNI que otra fila de este archivo"
            if key.startswith("dni:")
            else "mismo documento que otra fila de este archivo"
            if documents[index]
            else "mismo nombre y fecha de nacimiento que otra fila de este archivo"
        )

    # Against the registry: an active person with the same document (one query).
    existing = _existing_documents({key for key in documents if key})
    for index, key in enumerate(documents):
        if outcome[index] == OUTCOME_REPEATED or key not in existing:
            continue
        person_id[index] = existing[key]
        outcome[index] = OUTCOME_LINKED
        score[index] = 1.0
        reason[index] = (
            "mismo DNI que una persona del registro"
            if key.startswith("dni:")
            else "mismo documento que una persona del registro"
        )
    # Repeats follow their first row to the same person.
    index_of = {position: index for index, position in enumerate(positions)}
    for index, first in enumerate(same_as):
        if outcome[index] == OUTCOME_REPEATED:
            person_id[index] = person_id[index_of[first]]  # type: ignore[index]

    return pd.DataFrame(
        {
            "person_id": pd.array(person_id, dtype="Int64"),
            "outcome": pd.array(outcome, dtype="object"),
            "score": pd.array(score, dtype="float64"),
            "reason": pd.array(reason, dtype="object"),
            "same_as_row": pd.array(same_as, dtype="Int64"),
            "review_person_id": pd.array([pd.NA] * len(positions), dtype="Int64"),
        },
        index=rows.index,
    )


def _document_keys(rows: pd.DataFrame) -> list[str]:
    """ "dni:01234567", "ce:X12345" ... or '' for a row without a usable document."""
    has_other = "document_number" in rows.columns and "document_type" in rows.columns
    keys = []
    for record in rows.to_dict("records"):
        if record["dni"]:
            keys.append(f"dni:{record['dni']}")
        elif has_other and record["document_number"] and record["document_type"] != "dni":
            keys.append(f"{record['document_type']}:{record['document_number']}")
        else:
            keys.append("")
    return keys


def _name_keys(rows: pd.DataFrame) -> list[str]:
    """Folded full name and birth date, or '' without a birth date (a name alone is weak)."""
    return [
        f"name:{r['paternal_surname']}|{r['maternal_surname']}|{r['given_names']}|{r['birth_date']}"
        if r["birth_date"]
        else ""
        for r in rows[
            ["paternal_surname", "maternal_surname", "given_names", "birth_date"]
        ].to_dict("records")
    ]


def _existing_documents(keys: set[str]) -> dict[str, int]:
    numbers = {key.split(":", 1)[1] for key in keys}
    if not numbers:
        return {}
    return {
        f"{document_type}:{number}": pk
        for document_type, number, pk in Person.objects.filter(
            status=PersonStatus.ACTIVE, document_number__in=numbers
        ).values_list("document_type", "document_number", "pk")
    }
