"""Short human-readable explanations of pair scores, for the review queue."""

from __future__ import annotations

import numpy as np

from .comparing import (
    DNI_DIFFERENT,
    DNI_EQUAL,
    DNI_ONE_DIGIT,
    DNI_TRANSPOSED,
    DNI_ZERO,
    Comparison,
)

COMMON_FREQUENCY = 0.01
RARE_FREQUENCY = 0.001

_DNI = {
    DNI_EQUAL: "DNI equal",
    DNI_ZERO: "DNI equal after restoring a lost leading zero",
    DNI_ONE_DIGIT: "DNI one digit off",
    DNI_TRANSPOSED: "DNI two digits transposed",
    DNI_DIFFERENT: "DNI different",
}
_GIVEN = {
    1: "given names differ",
    2: "given names share one name",
    3: "given names similar (typo)",
    4: "given names agree, second name missing on one side",
    5: "given names equal",
}
_PATERNAL = {
    1: "paternal surname differs",
    2: "paternal surname similar",
    3: "paternal surname agrees",
}
_MATERNAL = {
    1: "maternal surname differs",
    2: "maternal initial agrees",
    3: "maternal surname similar",
    4: "maternal surname agrees",
}
_DOB = {1: "birth date differs", 2: "birth date one part off", 3: "birth date equal"}
_EMAIL = {2: "e-mail user equal", 3: "e-mail equal"}
_RARITY = {1: " (common)", 2: "", 3: " (rare)"}


def _rarity(freq: np.ndarray | None, n: int) -> np.ndarray:
    if freq is None:
        return np.zeros(n, np.int64)
    return np.select(
        [freq <= 0, freq >= COMMON_FREQUENCY, freq < RARE_FREQUENCY], [0, 1, 3], default=2
    )


def _text(row: np.ndarray, names: list[str]) -> str:
    values = dict(zip(names, row.tolist(), strict=False))
    parts = []
    if values["conflict"]:
        parts.append("different valid DNIs: no automatic link")
    if values["dni_kind"] in _DNI:
        parts.append(_DNI[values["dni_kind"]])
    for feature, table in (("paternal", _PATERNAL), ("maternal", _MATERNAL), ("given", _GIVEN)):
        level = values[feature]
        if level in table:
            parts.append(table[level] + _RARITY.get(values[f"rare:{feature}"], ""))
    if values["swapped"]:
        parts.append("surnames swapped")
    if values["birth_date"] in _DOB:
        parts.append(_DOB[values["birth_date"]])
    if values["sex"] == 1:
        parts.append("sex differs")
    if values["email"] in _EMAIL:
        parts.append(_EMAIL[values["email"]])
    if values["phone"] == 2:
        parts.append("phone equal")
    for name in names:
        if name.startswith("weak:") and values[name] == 2:
            parts.append(f"same {name[5:]}")
        if name.startswith("extra:") and values[name] >= 2:
            parts.append(f"{name[6:]} {'equal' if values[name] == 3 else 'similar'}")
    return "; ".join(parts)


def explain(
    comparison: Comparison, used_freq: dict[str, np.ndarray], rows: np.ndarray
) -> np.ndarray:
    """One reasons string per selected pair (``rows`` indexes the comparison)."""
    n = len(rows)
    columns = {name: level[rows] for name, level in comparison.levels.items()}
    columns["dni_kind"] = comparison.dni_kind[rows]
    columns["swapped"] = comparison.swapped[rows].astype(np.int64)
    columns["conflict"] = comparison.dni_conflict[rows].astype(np.int64)
    for feature in ("given", "paternal", "maternal"):
        freq = used_freq.get(feature)
        columns[f"rare:{feature}"] = _rarity(None if freq is None else freq[rows], n)
    names = list(columns)
    if n == 0:
        return np.array([], dtype=object)
    # Pairs share few distinct patterns: build each text once.
    matrix = np.column_stack([np.asarray(columns[c], dtype=np.int64) for c in names])
    # One int64 code per row (mixed radix) is much faster to deduplicate than rows.
    radix = np.cumprod(np.r_[1, matrix.max(axis=0)[:-1] + 1]).astype(np.int64)
    _codes, first, inverse = np.unique(matrix @ radix, return_index=True, return_inverse=True)
    texts = np.array([_text(matrix[i], names) for i in first], dtype=object)
    return texts[inverse.ravel()]
