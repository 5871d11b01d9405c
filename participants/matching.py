"""Who each roster row is: the single seam between the import and the linkage engine.

`match_rows` takes staged rows in the canonical record schema and says, for each, whether it
is a new person, an existing one, a possible duplicate for review, or a repeat of an earlier
row of the same file:
1. the same identity document as an active person links to that person (a merged person's
   document links to its survivor) - the document is the strongest evidence there is;
2. every other row is scored by the probabilistic engine (`participants.linkage`) against the
   persons that share a blocking key with it, fetched through indexed columns
   (`participants.registry_frames.candidate_persons`), with the stored model
   (`participants.linkage_store`) and the whole registry's size as the prior: at or above the
   auto-link threshold it links, between the thresholds it goes to review, below it is new;
3. within the file, a row with the same document (or, without one, the same name and birth
   date) as an earlier row, or linked to the same person, is a repeat of that row.

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
from django.conf import settings
from django.db.models import Count

from participants.linkage import (
    LinkageConfig,
    bits_from_probability,
    link,
    prepare,
    probability_from_bits,
)
from participants.linkage.keys import OPTIONAL_COLUMNS, TEXT_COLUMNS
from participants.linkage_store import linkage_model_current
from participants.models import Person, PersonStatus
from participants.registry_frames import candidate_persons
from participants.selectors import person_resolve

OUTCOME_NEW = "new"
OUTCOME_LINKED = "linked"
OUTCOME_REVIEW = "review"
OUTCOME_REPEATED = "repeated"

RECORD_COLUMNS = (*TEXT_COLUMNS, *OPTIONAL_COLUMNS)
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

    # Against the registry, 1: an active person (or a merged one's survivor) with the same
    # identity document (one query).
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

    # Against the registry, 2: the probabilistic engine for the rows still unmatched.
    pending = [
        index
        for index in range(len(positions))
        if outcome[index] == OUTCOME_NEW and rows.iloc[index]["paternal_surname"]
    ]
    review_person: list[object] = [pd.NA] * len(positions)
    for index, best in _engine_matches(rows.iloc[pending], pending).items():
        probability = probability_from_bits(best["score"])
        score[index] = round(probability, 4)
        if best["decision"] == "link":
            person_id[index] = int(best["registry_id"])
            outcome[index] = OUTCOME_LINKED
            reason[index] = f"coincidencia probable, p={probability:.3f}: {best['reasons']}"
        else:
            review_person[index] = int(best["registry_id"])
            outcome[index] = OUTCOME_REVIEW
            reason[index] = f"coincidencia dudosa, p={probability:.3f}: {best['reasons']}"

    # Within the file, 2: two rows linked to the same person are one person listed twice.
    first_row_of_person: dict[int, int] = {}
    for index in range(len(positions)):
        if outcome[index] != OUTCOME_LINKED:
            continue
        first = first_row_of_person.setdefault(int(person_id[index]), index)  # type: ignore[arg-type]
        if first != index:
            outcome[index] = OUTCOME_REPEATED
            same_as[index] = positions[first]
            reason[index] = "la misma persona que otra fila de este archivo"

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
            "review_person_id": pd.array(review_person, dtype="Int64"),
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
    found: dict[str, int] = {}
    merged: dict[str, int] = {}
    for document_type, number, pk, status in Person.objects.filter(
        status__in=(PersonStatus.ACTIVE, PersonStatus.MERGED), document_number__in=numbers
    ).values_list("document_type", "document_number", "pk", "status"):
        key = f"{document_type}:{number}"
        if status == PersonStatus.ACTIVE:
            found[key] = pk
        else:
            merged.setdefault(key, pk)
    for key, pk in merged.items():
        # A document left only on a merged tombstone belongs to the person it was merged into.
        if key not in found:
            survivor = person_resolve(pk)
            if survivor.status == PersonStatus.ACTIVE:
                found[key] = survivor.pk
    return found


def linkage_config() -> LinkageConfig:
    """The engine's thresholds from settings (given as match probabilities)."""
    return LinkageConfig(
        upper_threshold=bits_from_probability(settings.LINKAGE_AUTO_LINK_THRESHOLD),
        lower_threshold=bits_from_probability(settings.LINKAGE_REVIEW_THRESHOLD),
    )


def _engine_matches(rows: pd.DataFrame, indexes: list[int]) -> dict[int, dict[str, object]]:
    """`indexes[i]` (the i-th of `rows`) -> its best registry match, for rows that have one."""
    if rows.empty:
        return {}
    candidates = candidate_persons(rows)
    if candidates.empty:
        return {}
    config = linkage_config()
    registry_size = Person.objects.filter(status=PersonStatus.ACTIVE).count()
    registry = _with_registry_frequencies(prepare(candidates, config), registry_size)
    frame = rows.reset_index(drop=True)
    result = link(
        frame,
        registry,
        config=config,
        model=linkage_model_current(config),
        registry_size=registry_size,
    )
    best: dict[int, dict[str, object]] = {}
    for record in result.to_dict("records"):
        row = indexes[int(record["new_id"])]
        if row not in best or record["score"] > best[row]["score"]:  # type: ignore[operator]
            best[row] = record
    return best


def _with_registry_frequencies(prepared: pd.DataFrame, registry_size: int) -> pd.DataFrame:
    """Term frequencies of the whole registry, not of the candidates fetched for one roster.

    Among candidates fetched because they are called Chuquimamani, every one is called
    Chuquimamani; the value's weight must come from how rare it is among all persons. The
    counts are by phonetic key (indexed columns), which pools spelling variants: a little
    more common than the exact spelling, so the evidence is, if anything, understated.
    """
    total = max(registry_size, 1)
    surname_keys = set(prepared["pat_ph"]) | set(prepared["mat_ph"])
    surname_keys.discard("")
    given_keys = set(prepared["giv1_ph"]) - {""}
    active = Person.objects.filter(status=PersonStatus.ACTIVE)
    surname_counts: dict[str, int] = {}
    for column in ("paternal_key", "maternal_key"):
        for key, n in (
            active.filter(**{f"{column}__in": surname_keys})
            .values_list(column)
            .annotate(n=Count("id"))
            .order_by()
        ):
            surname_counts[key] = surname_counts.get(key, 0) + n
    given_counts = dict(
        active.filter(given_key__in=given_keys)
        .values_list("given_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    out = prepared.copy()
    out["pat_freq"] = out["pat_ph"].map(surname_counts).fillna(0).to_numpy(float) / total
    out["mat_freq"] = out["mat_ph"].map(surname_counts).fillna(0).to_numpy(float) / total
    out["giv1_freq"] = out["giv1_ph"].map(given_counts).fillna(0).to_numpy(float) / total
    return out
