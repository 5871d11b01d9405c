"""Comparison of candidate pairs into discrete agreement levels (vectorised).

``compare`` reads the prepared columns of both sides and returns a ``Comparison``: one level
per feature and pair (the features are in ``features``, the per-field rules in
``agreement_levels``), the frequencies of the agreeing values, the surname swap and the DNI
kind and conflict. It is split into parts, each reading its own columns, so that pairs of
persons can pool each part over the distinct values each side shows (``grouped``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .agreement_levels import (
    DNI_ONE_DIGIT,
    DNI_TRANSPOSED,
    Texts,
    birth_date_level,
    dni_level,
    exact_level,
    given_level,
    present,
    similarity,
    surname_level,
)
from .config import LinkageConfig
from .features import WEAK_FEATURES
from .keys import code_column

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
    "dni_number",
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
    "dni": ("dni_norm", "dni_valid", "dni_padded", "dni_number"),
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
    sides = _Sides(left, right, li, ri)
    pair, keys = sides.pair, sides.keys
    if part == "given":
        level = given_level(
            *keys("giv"),
            *keys("giv1"),
            *keys("giv_rest"),
            *keys("giv2"),
            sides.texts("giv"),
            sides.texts("giv1"),
        )
        return Comparison({"given": level}, {"given": pair("giv1_freq")[1]})
    if part == "surnames":
        return _surnames(sides)
    if part == "dni":
        level, dni_kind, conflict = dni_level(
            *keys("dni_norm"),
            *pair("dni_valid"),
            *pair("dni_padded"),
            config.dni_conflict,
            sides.texts("dni_number"),
        )
        return Comparison({"dni": level}, {}, None, dni_kind, conflict)
    if part == "birth_date":
        return Comparison(
            {"birth_date": birth_date_level(*pair("dob_y"), *pair("dob_m"), *pair("dob_d"))}
        )
    if part == "sex":
        return Comparison({"sex": exact_level(*keys("sex_fm"), top=2)})
    if part == "email":
        email = exact_level(*keys("email_norm"), top=3)
        local_a, local_b = keys("email_user")
        email[(email == 1) & (local_a == local_b)] = 2
        return Comparison({"email": email}, {"email": pair("email_freq")[1]})
    if part == "phone":
        return Comparison(
            {"phone": exact_level(*keys("phone9"), top=2)}, {"phone": pair("phone_freq")[1]}
        )
    if part.startswith("weak:"):
        return Comparison({part: exact_level(*keys(f"{part[5:]}_norm"), top=2)})
    if part.startswith("extra:"):
        a, b = keys(part[6:])
        level = exact_level(a, b, top=3)
        close = (level == 1) & (similarity(sides.texts(part[6:]), level == 1, a, b) >= 0.9)
        level[close] = 2
        return Comparison({part: level})
    raise ValueError(f"unknown part of compare: {part}")


class _Sides:
    """The columns of both sides of the pairs (positions ``li`` in ``left``, ``ri`` in
    ``right``). A frame compared with itself is compared on its texts' integer codes
    (``keys.code_column``): equal exactly where the texts are, and far cheaper to gather and
    compare than strings. Frames prepared apart number their texts apart, so between two
    frames the texts themselves are compared."""

    def __init__(
        self, left: pd.DataFrame, right: pd.DataFrame, li: np.ndarray, ri: np.ndarray
    ) -> None:
        self.left, self.right, self.li, self.ri = left, right, li, ri
        self.coded = left is right and code_column("giv") in left.columns

    def pair(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        return self.left[column].to_numpy()[self.li], self.right[column].to_numpy()[self.ri]

    def keys(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """What presence and equality are decided on: the codes, or else the texts."""
        return self.pair(code_column(column) if self.coded else column)

    def texts(self, column: str, crossed: tuple[str, np.ndarray] | None = None) -> Texts:
        """The texts of ``column`` at some of the pairs; with ``crossed`` (a column and the
        pairs where the right side's value is taken from it instead), as a surname swap
        reads them."""
        a_values = self.left[column].to_numpy()
        b_values = self.right[column].to_numpy()

        def read(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            b = b_values[self.ri[idx]]
            if crossed is not None:
                other, swapped = crossed
                b = np.where(swapped[idx], self.right[other].to_numpy()[self.ri[idx]], b)
            return a_values[self.li[idx]], b

        return read


def _surnames(sides: _Sides) -> Comparison:
    pa, pb = sides.keys("pat")
    ma, mb = sides.keys("mat")
    pa_ph, pb_ph = sides.keys("pat_ph")
    ma_ph, mb_ph = sides.keys("mat_ph")

    def agree(x: np.ndarray, y: np.ndarray, x_ph: np.ndarray, y_ph: np.ndarray) -> np.ndarray:
        both = present(x) & present(y)
        return both * (2 * (x == y) + (x_ph == y_ph))

    straight = agree(pa, pb, pa_ph, pb_ph) + agree(ma, mb, ma_ph, mb_ph)
    crossed = agree(pa, mb, pa_ph, mb_ph) + agree(ma, pb, ma_ph, pb_ph)
    swapped = crossed > straight
    pb, mb = np.where(swapped, mb, pb), np.where(swapped, pb, mb)
    pb_ph, mb_ph = np.where(swapped, mb_ph, pb_ph), np.where(swapped, pb_ph, mb_ph)
    pa_i, pb_i = sides.pair("pat_initial")
    ma_i, mb_i = sides.pair("mat_initial")
    pb_i, mb_i = np.where(swapped, mb_i, pb_i), np.where(swapped, pb_i, mb_i)
    pat_texts = sides.texts("pat", crossed=("mat", swapped))
    mat_texts = sides.texts("mat", crossed=("pat", swapped))
    levels = {
        "paternal": surname_level(
            pa, pb, pa_ph, pb_ph, pa_i, pb_i, with_initial=False, texts=pat_texts
        ),
        "maternal": surname_level(
            ma, mb, ma_ph, mb_ph, ma_i, mb_i, with_initial=True, texts=mat_texts
        ),
    }
    pat_f, mat_f = sides.pair("pat_freq")[1], sides.pair("mat_freq")[1]
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
