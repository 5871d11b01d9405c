"""Short explanations of pair scores, in Spanish, for the review queue and the import
preview (the users read Spanish)."""

from __future__ import annotations

import numpy as np

from .agreement_levels import DNI_DIFFERENT, DNI_EQUAL, DNI_ONE_DIGIT, DNI_TRANSPOSED, DNI_ZERO
from .comparing import Comparison, compared, dni_typo_with_names
from .config import LinkageConfig

# Field names of the weak and extra comparisons, as the sentences name them.
_FIELD_NAMES = {"institution": "institución", "region": "región", "role": "cargo"}

# Quispe or Mamani (several per cent of Peruvians) are common; a surname shared by one in a
# thousand is rare.
COMMON_FREQUENCY = 0.02
RARE_FREQUENCY = 0.001

_DNI = {
    DNI_EQUAL: "DNI igual",
    DNI_ZERO: "DNI igual al restituir un cero inicial perdido",
    DNI_ONE_DIGIT: "DNI con un dígito distinto",
    DNI_TRANSPOSED: "DNI con dos dígitos invertidos",
    DNI_DIFFERENT: "DNI distinto",
}
_GIVEN = {
    1: "nombres distintos",
    2: "nombres con uno en común",
    3: "nombres parecidos (error de tipeo)",
    4: "nombres coinciden, falta el segundo nombre en un registro",
    5: "nombres iguales",
}
_PATERNAL = {
    1: "apellido paterno distinto",
    2: "apellido paterno parecido",
    3: "apellido paterno coincide",
}
_MATERNAL = {
    1: "apellido materno distinto",
    2: "inicial del apellido materno coincide",
    3: "apellido materno parecido",
    4: "apellido materno coincide",
}
_DOB = {
    1: "fecha de nacimiento distinta",
    2: "fecha de nacimiento con una parte distinta",
    3: "fecha de nacimiento igual",
}
_EMAIL = {2: "usuario de correo igual", 3: "correo igual"}
_RARITY = {1: " (frecuente)", 2: "", 3: " (poco frecuente)"}


def _rarity(freq: np.ndarray | None, n: int) -> np.ndarray:
    if freq is None:
        return np.zeros(n, np.int64)
    return np.select(
        [freq <= 0, freq >= COMMON_FREQUENCY, freq < RARE_FREQUENCY], [0, 1, 3], default=2
    )


def _text(row: np.ndarray, names: list[str]) -> str:
    values = dict(zip(names, row.tolist(), strict=False))
    parts = []
    if values["conflict"] and not values["typo_explained"]:
        parts.append("DNI válidos distintos: sin vínculo automático")
    if values["dni_kind"] in _DNI:
        parts.append(_DNI[values["dni_kind"]])
    if values["conflict"] and values["typo_explained"]:
        parts.append("error de tipeo que los nombres explican")
    for feature, table in (("paternal", _PATERNAL), ("maternal", _MATERNAL), ("given", _GIVEN)):
        level = values[feature]
        if level in table:
            parts.append(table[level] + _RARITY.get(values[f"rare:{feature}"], ""))
    if values["swapped"]:
        parts.append("apellidos invertidos")
    if values["birth_date"] in _DOB:
        parts.append(_DOB[values["birth_date"]])
    if values["sex"] == 1:
        parts.append("sexo distinto")
    if values["email"] in _EMAIL:
        parts.append(_EMAIL[values["email"]])
    if values["phone"] == 2:
        parts.append("teléfono igual")
    for name in names:
        if name.startswith("weak:") and values[name] == 2:
            parts.append(f"misma {_FIELD_NAMES.get(name[5:], name[5:])}")
        if name.startswith("extra:") and values[name] >= 2:
            parts.append(
                f"{_FIELD_NAMES.get(name[6:], name[6:])}: "
                f"{'igual' if values[name] == 3 else 'parecido'}"
            )
    return "; ".join(parts)


def explain(
    comparison: Comparison,
    used_freq: dict[str, np.ndarray],
    rows: np.ndarray,
    config: LinkageConfig,
) -> np.ndarray:
    """One reasons string per selected pair (``rows`` indexes the comparison)."""
    n = len(rows)
    columns = {name: level[rows] for name, level in comparison.levels.items()}
    columns["dni_kind"] = compared(comparison.dni_kind, "DNI kinds")[rows]
    columns["swapped"] = compared(comparison.swapped, "surname swaps")[rows].astype(np.int64)
    columns["conflict"] = compared(comparison.dni_conflict, "DNI conflicts")[rows].astype(np.int64)
    columns["typo_explained"] = dni_typo_with_names(comparison, config)[rows].astype(np.int64)
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
