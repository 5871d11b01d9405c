"""Agreement levels of one field over arrays of value pairs (vectorised rules).

Each rule takes the prepared values of both sides of many pairs and returns one level per
pair, 0 where a value is missing on either side (see ``features`` for what each level means).
A side's values are either the texts ("" where missing) or their integer codes (0 where
missing, equal exactly where the texts are): the rules only test presence and equality on
them, and read the texts themselves (``Texts``) for the few pairs a similarity or a digit
decides. The rules know nothing of frames, parts or pooling: ``comparing`` feeds them.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from .keys import dni_digits

# How two DNIs differ, from equal to different (``dni_level``; 0 = not comparable).
DNI_NONE, DNI_EQUAL, DNI_ZERO, DNI_ONE_DIGIT, DNI_TRANSPOSED, DNI_DIFFERENT = range(6)


# The texts of both sides of the pairs at these positions (among the pairs compared).
Texts = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


def coded(values: np.ndarray) -> bool:
    """Whether a side's values are integer codes rather than the texts themselves."""
    return values.dtype.kind in "iu"


def present(values: np.ndarray) -> np.ndarray:
    """Where a side has a value: codes are 0, texts "", where it has none."""
    return values != (0 if coded(values) else "")


def similarity(
    texts: Texts, mask: np.ndarray, a: np.ndarray | None = None, b: np.ndarray | None = None
) -> np.ndarray:
    """Jaro-Winkler similarity where ``mask`` holds, 0 elsewhere. With the sides' codes
    (``a``, ``b``), each distinct pair of texts is scored once: common surnames meet each
    other in thousands of pairs."""
    out = np.zeros(len(mask))
    idx = np.flatnonzero(mask)
    if not len(idx):
        return out
    first, inverse = idx, None
    if a is not None and b is not None and coded(a):
        both = a[idx].astype(np.int64) * (int(b.max(initial=0)) + 1) + b[idx]
        inverse = pd.factorize(both, sort=False)[0]
        # The first pair of each, in the order factorize numbered them.
        first = idx[~pd.Series(inverse).duplicated().to_numpy()]
    a_text, b_text = texts(first)
    scores = process.cpdist(
        list(a_text), list(b_text), scorer=JaroWinkler.normalized_similarity, workers=-1
    )
    out[idx] = scores if inverse is None else scores[inverse]
    return out


def given_level(
    a: np.ndarray,
    b: np.ndarray,
    a1: np.ndarray,
    b1: np.ndarray,
    ar: np.ndarray,
    br: np.ndarray,
    a2: np.ndarray,
    b2: np.ndarray,
    texts: Texts,
    first_texts: Texts,
) -> np.ndarray:
    """``a``/``b`` the given names, ``a1``/``b1`` the first, ``ar``/``br`` the rest and
    ``a2``/``b2`` the second (the first and second in one numbering); ``texts`` and
    ``first_texts`` the whole and first given names' texts."""
    both = present(a) & present(b)
    a_alone, b_alone = ~present(ar), ~present(br)
    level = np.where(both, 1, 0).astype(np.int8)
    equal = both & (a == b)
    first_equal = both & (a1 == b1)
    # A given name left out: the second ("JOSE LUIS" / "JOSE") or the first, by one who
    # signs with the second ("MARIA ELENA" / "ELENA").
    second_used = both & ((a_alone & (a1 == b2)) | (b_alone & (b1 == a2)))
    dropped = ((first_equal & (a_alone | b_alone)) | second_used) & ~equal
    rest = both & ~equal & ~dropped
    sim = similarity(texts, rest, a, b)
    sim_first = similarity(first_texts, rest & (a_alone | b_alone), a1, b1)
    typo = rest & ((sim >= 0.92) | (sim_first >= 0.92))
    # One name in common: same first name with different second names, or the second name
    # used as the first one ("ROSA MARIA" vs "MARIA").
    shared = (
        rest
        & ~typo
        & (first_equal | (present(a2) & ((a2 == b1) | (a2 == b2))) | (present(b2) & (b2 == a1)))
    )
    level[shared] = 2
    level[typo] = 3
    level[dropped] = 4
    level[equal] = 5
    return level


def surname_level(
    a: np.ndarray,
    b: np.ndarray,
    a_ph: np.ndarray,
    b_ph: np.ndarray,
    a_init: np.ndarray,
    b_init: np.ndarray,
    with_initial: bool,
    texts: Texts,
) -> np.ndarray:
    both = present(a) & present(b)
    level = np.where(both, 1, 0).astype(np.int8)
    initial = both & (a_init | b_init)
    full = both & ~initial
    equal = full & (a == b)
    sim = similarity(texts, full & ~equal, a, b)
    close = full & ~equal & ((a_ph == b_ph) | (sim >= 0.9))
    top = 4 if with_initial else 3
    if with_initial:
        # Only the maternal surname is shortened to an initial in rosters.
        idx = np.flatnonzero(initial)
        a_text, b_text = texts(idx)
        level[idx[[x[:1] == y[:1] for x, y in zip(a_text, b_text, strict=False)]]] = 2
    level[close] = top - 1
    level[equal] = top
    return level


def dni_level(
    la: np.ndarray,
    lb: np.ndarray,
    va: np.ndarray,
    vb: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    policy: str,
    numbers: Texts,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``la``/``lb`` the DNIs (codes or texts), ``va``/``vb`` valid as typed, ``pa``/``pb``
    padded from 7 digits; ``numbers`` reads the DNIs as numbers (``keys.dni_digits``' input)."""
    both = present(la) & present(lb)
    kind = np.full(len(la), DNI_NONE, np.int8)
    equal = both & (la == lb)
    kind[equal] = np.where(pa[equal] | pb[equal], DNI_ZERO, DNI_EQUAL)
    # Only DNIs that differ are read digit by digit.
    idx = np.flatnonzero(both & ~equal)
    if len(idx):
        a_number, b_number = numbers(idx)
        da, db = dni_digits(a_number), dni_digits(b_number)
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


def birth_date_level(
    ya: np.ndarray, yb: np.ndarray, ma: np.ndarray, mb: np.ndarray, da: np.ndarray, db: np.ndarray
) -> np.ndarray:
    both = (ya > 0) & (yb > 0)
    level = np.where(both, 1, 0).astype(np.int8)
    same = (ya == yb).astype(int) + (ma == mb) + (da == db)
    swapped = (ya == yb) & (ma == db) & (da == mb)
    level[both & ((same == 2) | swapped)] = 2
    level[both & (same == 3)] = 3
    return level


def exact_level(a: np.ndarray, b: np.ndarray, top: int) -> np.ndarray:
    both = present(a) & present(b)
    level = np.where(both, 1, 0).astype(np.int8)
    level[both & (a == b)] = top
    return level
