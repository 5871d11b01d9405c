"""Comparison of candidate pairs into discrete agreement levels (vectorised).

``compare`` reads the prepared columns of both sides and returns a ``Comparison``: one level
per feature and pair (the features are in ``features``, the per-field rules in
``agreement_levels``), the frequencies of the agreeing values, the surname swap and the DNI
kind and conflict. It is split into parts, each reading its own columns, so that pairs of
persons can pool each part over the distinct values each side shows (``grouped``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .agreement_levels import (
    DNI_ONE_DIGIT,
    DNI_TRANSPOSED,
    birth_date_level,
    dni_level,
    exact_level,
    given_level,
    similarity,
    surname_level,
)
from .config import LinkageConfig
from .features import WEAK_FEATURES

# Prepared columns read by ``compare``.
_COMPARED = (
    "giv",
    "giv1",
    "giv_rest",
    "giv2",
    "pat",
    "mat",
    "pat_ph",
    "mat_ph",
    "pat_initial",
    "mat_initial",
    "dni_norm",
    "dni_valid",
    "dni_padded",
    "dob_y",
    "dob_m",
    "dob_d",
    "sex_fm",
    "email_norm",
    "email_user",
    "phone9",
    "pat_freq",
    "mat_freq",
    "giv1_freq",
    "email_freq",
    "phone_freq",
)


def compared_columns(config: LinkageConfig) -> tuple[str, ...]:
    weak = tuple(f"{name}_norm" for name in WEAK_FEATURES) if config.weak_evidence_bits > 0 else ()
    return _COMPARED + weak + tuple(config.extra_fields)


@dataclass
class Comparison:
    levels: dict[str, np.ndarray]
    tf_freq: dict[str, np.ndarray] = field(default_factory=dict)
    swapped: np.ndarray | None = None
    dni_kind: np.ndarray | None = None
    dni_conflict: np.ndarray | None = None

    def __len__(self) -> int:
        return len(next(iter(self.levels.values())))

    def matrix(self) -> np.ndarray:
        return np.column_stack([v for v in self.levels.values()]).astype(np.int8)


def compared(values: np.ndarray | None, what: str) -> np.ndarray:
    """Surname swaps, DNI kinds or DNI conflicts of a comparison that has them: every
    `compare` does (it compares birth dates and DNIs), only a lone part of it may not."""
    if values is None:
        raise ValueError(f"comparison without {what}")
    return values


# The parts of ``compare``, each computed from its own prepared columns alone (a part's
# levels, TF frequencies, surname swap and DNI kind depend on nothing else): pairs of persons
# that are clusters of records pool each part over the distinct values each side shows.
_PART_COLUMNS = {
    "given": ("giv", "giv1", "giv_rest", "giv2", "giv1_freq"),
    "surnames": (
        "pat",
        "mat",
        "pat_ph",
        "mat_ph",
        "pat_initial",
        "mat_initial",
        "pat_freq",
        "mat_freq",
    ),
    "dni": ("dni_norm", "dni_valid", "dni_padded"),
    "birth_date": ("dob_y", "dob_m", "dob_d"),
    "sex": ("sex_fm",),
    "email": ("email_norm", "email_user", "email_freq"),
    "phone": ("phone9", "phone_freq"),
}


def compare_parts(config: LinkageConfig) -> list[str]:
    """The parts of ``compare`` in its order (their levels come out in feature order)."""
    weak = [f"weak:{name}" for name in WEAK_FEATURES] if config.weak_evidence_bits > 0 else []
    return [*_PART_COLUMNS, *weak, *(f"extra:{name}" for name in config.extra_fields)]


def part_columns(part: str) -> tuple[str, ...]:
    """The prepared columns a part of ``compare`` reads."""
    if part.startswith("weak:"):
        return (f"{part[5:]}_norm",)
    if part.startswith("extra:"):
        return (part[6:],)
    return _PART_COLUMNS[part]


def compare(
    left: pd.DataFrame, right: pd.DataFrame, li: np.ndarray, ri: np.ndarray, config: LinkageConfig
) -> Comparison:
    """Agreement levels of pairs (positions ``li`` in ``left``, ``ri`` in ``right``)."""
    out = Comparison({}, {})
    for part in compare_parts(config):
        piece = compare_part(part, left, right, li, ri, config)
        out.levels.update(piece.levels)
        out.tf_freq.update(piece.tf_freq)
        if piece.swapped is not None:
            out.swapped = piece.swapped
        if piece.dni_kind is not None:
            out.dni_kind, out.dni_conflict = piece.dni_kind, piece.dni_conflict
    return out


def compare_part(
    part: str,
    left: pd.DataFrame,
    right: pd.DataFrame,
    li: np.ndarray,
    ri: np.ndarray,
    config: LinkageConfig,
) -> Comparison:
    """One part of ``compare``: its levels and, where it has them, the frequencies of the
    agreeing values (read on the right side, the registry when linking), the surname swap
    and the DNI kind and conflict."""

    def pair(column: str) -> tuple[np.ndarray, np.ndarray]:
        return left[column].to_numpy()[li], right[column].to_numpy()[ri]

    if part == "given":
        giv_a, giv_b = pair("giv")
        g1a, g1b = pair("giv1")
        level = given_level(giv_a, giv_b, g1a, g1b, *pair("giv_rest"), *pair("giv2"))
        return Comparison({"given": level}, {"given": pair("giv1_freq")[1]})
    if part == "surnames":
        return _surnames(pair)
    if part == "dni":
        dni_a, dni_b = pair("dni_norm")
        level, dni_kind, conflict = dni_level(
            dni_a, dni_b, *pair("dni_valid"), *pair("dni_padded"), config.dni_conflict
        )
        return Comparison({"dni": level}, {}, None, dni_kind, conflict)
    if part == "birth_date":
        return Comparison(
            {"birth_date": birth_date_level(*pair("dob_y"), *pair("dob_m"), *pair("dob_d"))}
        )
    if part == "sex":
        return Comparison({"sex": exact_level(*pair("sex_fm"), top=2)})
    if part == "email":
        email_a, email_b = pair("email_norm")
        email = exact_level(email_a, email_b, top=3)
        local_a, local_b = pair("email_user")
        email[(email == 1) & (local_a == local_b)] = 2
        return Comparison({"email": email}, {"email": pair("email_freq")[1]})
    if part == "phone":
        return Comparison(
            {"phone": exact_level(*pair("phone9"), top=2)}, {"phone": pair("phone_freq")[1]}
        )
    if part.startswith("weak:"):
        return Comparison({part: exact_level(*pair(f"{part[5:]}_norm"), top=2)})
    if part.startswith("extra:"):
        a, b = pair(part[6:])
        level = exact_level(a, b, top=3)
        close = (level == 1) & (similarity(a, b, level == 1) >= 0.9)
        level[close] = 2
        return Comparison({part: level})
    raise ValueError(f"unknown part of compare: {part}")


def _surnames(pair: Callable[[str], tuple[np.ndarray, np.ndarray]]) -> Comparison:
    pa, pb = pair("pat")
    ma, mb = pair("mat")
    pa_ph, pb_ph = pair("pat_ph")
    ma_ph, mb_ph = pair("mat_ph")

    def agree(x: np.ndarray, y: np.ndarray, x_ph: np.ndarray, y_ph: np.ndarray) -> np.ndarray:
        present = (x != "") & (y != "")
        return present * (2 * (x == y) + (x_ph == y_ph))

    straight = agree(pa, pb, pa_ph, pb_ph) + agree(ma, mb, ma_ph, mb_ph)
    crossed = agree(pa, mb, pa_ph, mb_ph) + agree(ma, pb, ma_ph, pb_ph)
    swapped = crossed > straight
    pb, mb = np.where(swapped, mb, pb), np.where(swapped, pb, mb)
    pb_ph, mb_ph = np.where(swapped, mb_ph, pb_ph), np.where(swapped, pb_ph, mb_ph)
    pa_i, pb_i = pair("pat_initial")
    ma_i, mb_i = pair("mat_initial")
    pb_i, mb_i = np.where(swapped, mb_i, pb_i), np.where(swapped, pb_i, mb_i)
    levels = {
        "paternal": surname_level(pa, pb, pa_ph, pb_ph, pa_i, pb_i, with_initial=False),
        "maternal": surname_level(ma, mb, ma_ph, mb_ph, ma_i, mb_i, with_initial=True),
    }
    pat_f, mat_f = pair("pat_freq")[1], pair("mat_freq")[1]
    tf_freq = {
        "paternal": np.where(swapped, mat_f, pat_f),
        "maternal": np.where(swapped, pat_f, mat_f),
    }
    return Comparison(levels, tf_freq, swapped)


def names_agree_in_full(comparison: Comparison) -> np.ndarray:
    """Given names equal or one dropped, paternal surname equal, maternal not different."""
    levels = comparison.levels
    return (levels["given"] >= 4) & (levels["paternal"] == 3) & (levels["maternal"] != 1)


def dni_typo_with_names(comparison: Comparison, config: LinkageConfig) -> np.ndarray:
    """DNIs one typo apart (one digit, or two adjacent swapped) between names that agree in
    full, with no different sex or birth date: the typo the names explain. None unless
    ``config.dni_typo_links``. Siblings registered together can hold consecutive DNIs, but
    not the same given names."""
    if not config.dni_typo_links or comparison.dni_kind is None:
        return np.zeros(len(comparison), dtype=bool)
    typo = np.isin(comparison.dni_kind, (DNI_ONE_DIGIT, DNI_TRANSPOSED))
    levels = comparison.levels
    consistent = (levels["sex"] != 1) & (levels["birth_date"] != 1)
    return typo & names_agree_in_full(comparison) & consistent
