"""Comparison of candidate pairs into discrete agreement levels (vectorised).

Every feature has level 0 = "not comparable" (a value missing on either side): it then adds
no evidence either way, which is how a missing maternal surname or DNI must behave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from .config import LinkageConfig

# Feature name -> number of levels (including 0). Higher level = stronger agreement.
BASE_FEATURES: dict[str, int] = {
    "given": 6,  # 1 differ, 2 one shared token, 3 typo, 4 one name dropped, 5 equal
    "paternal": 4,  # 1 differ, 2 similar/phonetic, 3 equal
    "maternal": 5,  # 1 differ, 2 initial agrees, 3 similar/phonetic, 4 equal
    "dni": 4,  # 1 different, 2 one digit off / transposed, 3 equal (incl. lost leading zero)
    "birth_date": 4,  # 1 differ, 2 one component off or day/month swapped, 3 equal
    "sex": 3,  # 1 differ, 2 equal (only F/M count as recorded)
    "email": 4,  # 1 differ, 2 same local part, 3 equal
    "phone": 3,  # 1 differ, 2 equal
}
EXTRA_LEVELS = 4  # 1 differ, 2 similar, 3 equal
TF_LEVELS = {
    "given": (4, 5),
    "paternal": (3,),
    "maternal": (4,),
    # An address or phone shared by an office's staff says less than a personal one.
    "email": (3,),
    "phone": (2,),
}
# Officials use several addresses and phones (personal, institutional): a different one is
# no evidence against a match (its weight is floored at 0, see LinkageModel.weights).
MULTI_VALUED_FEATURES = ("email", "phone")
# Levels of identifiers that are also blocking keys: every pair agreeing on them is a
# candidate, so their chance agreement is estimated on the candidates (see classifying).
BLOCKED_ID_LEVELS = {"dni": (2, 3), "email": (3,), "phone": (2,)}
NAME_FEATURES = ("given", "paternal", "maternal")

DNI_NONE, DNI_EQUAL, DNI_ZERO, DNI_ONE_DIGIT, DNI_TRANSPOSED, DNI_DIFFERENT = range(6)


# Officials change institution and region between courses: agreement is only weak evidence
# (its weight is capped, see LinkageModel.weights) and disagreement almost none.
WEAK_FEATURES = ("institution", "region")


def feature_levels(config: LinkageConfig) -> dict[str, int]:
    weak = {f"weak:{name}": 3 for name in WEAK_FEATURES} if config.weak_evidence_bits > 0 else {}
    extra = {f"extra:{name}": EXTRA_LEVELS for name in config.extra_fields}
    return {**BASE_FEATURES, **weak, **extra}


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


def _similarity(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Jaro-Winkler similarity where ``mask`` holds, 0 elsewhere."""
    out = np.zeros(len(a))
    idx = np.flatnonzero(mask)
    if len(idx):
        out[idx] = process.cpdist(
            list(a[idx]), list(b[idx]), scorer=JaroWinkler.normalized_similarity, workers=-1
        )
    return out


def _given(
    a: np.ndarray,
    b: np.ndarray,
    a1: np.ndarray,
    b1: np.ndarray,
    ar: np.ndarray,
    br: np.ndarray,
    a2: np.ndarray,
    b2: np.ndarray,
) -> np.ndarray:
    both = (a != "") & (b != "")
    level = np.where(both, 1, 0).astype(np.int8)
    equal = both & (a == b)
    first_equal = both & (a1 == b1)
    # A given name left out: the second ("JOSE LUIS" / "JOSE") or the first, by one who
    # signs with the second ("MARIA ELENA" / "ELENA").
    second_used = both & (((ar == "") & (a1 == b2)) | ((br == "") & (b1 == a2)))
    dropped = ((first_equal & ((ar == "") | (br == ""))) | second_used) & ~equal
    rest = both & ~equal & ~dropped
    sim = _similarity(a, b, rest)
    sim_first = _similarity(a1, b1, rest & ((ar == "") | (br == "")))
    typo = rest & ((sim >= 0.92) | (sim_first >= 0.92))
    # One name in common: same first name with different second names, or the second name
    # used as the first one ("ROSA MARIA" vs "MARIA").
    shared = (
        rest
        & ~typo
        & (first_equal | ((a2 != "") & ((a2 == b1) | (a2 == b2))) | ((b2 != "") & (b2 == a1)))
    )
    level[shared] = 2
    level[typo] = 3
    level[dropped] = 4
    level[equal] = 5
    return level


def _surname(
    a: np.ndarray,
    b: np.ndarray,
    a_ph: np.ndarray,
    b_ph: np.ndarray,
    a_init: np.ndarray,
    b_init: np.ndarray,
    with_initial: bool,
) -> np.ndarray:
    both = (a != "") & (b != "")
    level = np.where(both, 1, 0).astype(np.int8)
    initial = both & (a_init | b_init)
    full = both & ~initial
    equal = full & (a == b)
    sim = _similarity(a, b, full & ~equal)
    close = full & ~equal & ((a_ph == b_ph) | (sim >= 0.9))
    top = 4 if with_initial else 3
    if with_initial:
        # Only the maternal surname is shortened to an initial in rosters.
        idx = np.flatnonzero(initial)
        level[idx[[x[:1] == y[:1] for x, y in zip(a[idx], b[idx], strict=False)]]] = 2
    level[close] = top - 1
    level[equal] = top
    return level


def _dni(
    la: np.ndarray,
    lb: np.ndarray,
    va: np.ndarray,
    vb: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    policy: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    both = (la != "") & (lb != "")
    kind = np.full(len(la), DNI_NONE, np.int8)
    idx = np.flatnonzero(both)
    if len(idx):
        da = np.frombuffer("".join(la[idx]).encode(), np.uint8).reshape(-1, 8)
        db = np.frombuffer("".join(lb[idx]).encode(), np.uint8).reshape(-1, 8)
        diff = da != db
        ndiff = diff.sum(1)
        first = diff.argmax(1)
        rows = np.arange(len(idx))
        nxt = np.minimum(first + 1, 7)
        transposed = (
            (ndiff == 2)
            & diff[rows, nxt]
            & (da[rows, first] == db[rows, nxt])
            & (da[rows, nxt] == db[rows, first])
        )
        sub = np.full(len(idx), DNI_DIFFERENT, np.int8)
        sub[transposed] = DNI_TRANSPOSED
        sub[ndiff == 1] = DNI_ONE_DIGIT
        sub[ndiff == 0] = np.where(pa[idx] | pb[idx], DNI_ZERO, DNI_EQUAL)[ndiff == 0]
        kind[idx] = sub
    level = np.select(
        [kind == DNI_NONE, (kind == DNI_EQUAL) | (kind == DNI_ZERO), kind == DNI_DIFFERENT],
        [0, 3, 1],
        default=2,
    ).astype(np.int8)
    valid_both = va & vb
    if policy == "any_difference":
        conflict = valid_both & (kind >= DNI_ONE_DIGIT)
    elif policy == "beyond_typo":
        conflict = valid_both & (kind == DNI_DIFFERENT)
    else:
        conflict = np.zeros(len(la), bool)
    return level, kind, conflict


def _birth_date(
    ya: np.ndarray, yb: np.ndarray, ma: np.ndarray, mb: np.ndarray, da: np.ndarray, db: np.ndarray
) -> np.ndarray:
    both = (ya > 0) & (yb > 0)
    level = np.where(both, 1, 0).astype(np.int8)
    same = (ya == yb).astype(int) + (ma == mb) + (da == db)
    swapped = (ya == yb) & (ma == db) & (da == mb)
    level[both & ((same == 2) | swapped)] = 2
    level[both & (same == 3)] = 3
    return level


def _simple(a: np.ndarray, b: np.ndarray, top: int) -> np.ndarray:
    both = (a != "") & (b != "")
    level = np.where(both, 1, 0).astype(np.int8)
    level[both & (a == b)] = top
    return level


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
        level = _given(giv_a, giv_b, g1a, g1b, *pair("giv_rest"), *pair("giv2"))
        return Comparison({"given": level}, {"given": pair("giv1_freq")[1]})
    if part == "surnames":
        return _surnames(pair)
    if part == "dni":
        dni_a, dni_b = pair("dni_norm")
        level, dni_kind, conflict = _dni(
            dni_a, dni_b, *pair("dni_valid"), *pair("dni_padded"), config.dni_conflict
        )
        return Comparison({"dni": level}, {}, None, dni_kind, conflict)
    if part == "birth_date":
        return Comparison(
            {"birth_date": _birth_date(*pair("dob_y"), *pair("dob_m"), *pair("dob_d"))}
        )
    if part == "sex":
        return Comparison({"sex": _simple(*pair("sex_fm"), top=2)})
    if part == "email":
        email_a, email_b = pair("email_norm")
        email = _simple(email_a, email_b, top=3)
        local_a, local_b = pair("email_user")
        email[(email == 1) & (local_a == local_b)] = 2
        return Comparison({"email": email}, {"email": pair("email_freq")[1]})
    if part == "phone":
        return Comparison(
            {"phone": _simple(*pair("phone9"), top=2)}, {"phone": pair("phone_freq")[1]}
        )
    if part.startswith("weak:"):
        return Comparison({part: _simple(*pair(f"{part[5:]}_norm"), top=2)})
    if part.startswith("extra:"):
        a, b = pair(part[6:])
        level = _simple(a, b, top=3)
        close = (level == 1) & (_similarity(a, b, level == 1) >= 0.9)
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
        "paternal": _surname(pa, pb, pa_ph, pb_ph, pa_i, pb_i, with_initial=False),
        "maternal": _surname(ma, mb, ma_ph, mb_ph, ma_i, mb_i, with_initial=True),
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
