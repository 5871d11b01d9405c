"""Agreement levels of one field over arrays of value pairs (vectorised rules).

Each rule takes the prepared values of both sides of many pairs and returns one level per
pair, 0 where a value is missing on either side (see ``features`` for what each level means).
The rules know nothing of frames, parts or pooling: ``comparing`` feeds them the columns.
"""

from __future__ import annotations

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

# How two DNIs differ, from equal to different (``dni_level``; 0 = not comparable).
DNI_NONE, DNI_EQUAL, DNI_ZERO, DNI_ONE_DIGIT, DNI_TRANSPOSED, DNI_DIFFERENT = range(6)


def similarity(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Jaro-Winkler similarity where ``mask`` holds, 0 elsewhere."""
    out = np.zeros(len(a))
    idx = np.flatnonzero(mask)
    if len(idx):
        out[idx] = process.cpdist(
            list(a[idx]), list(b[idx]), scorer=JaroWinkler.normalized_similarity, workers=-1
        )
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
    sim = similarity(a, b, rest)
    sim_first = similarity(a1, b1, rest & ((ar == "") | (br == "")))
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


def surname_level(
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
    sim = similarity(a, b, full & ~equal)
    close = full & ~equal & ((a_ph == b_ph) | (sim >= 0.9))
    top = 4 if with_initial else 3
    if with_initial:
        # Only the maternal surname is shortened to an initial in rosters.
        idx = np.flatnonzero(initial)
        level[idx[[x[:1] == y[:1] for x, y in zip(a[idx], b[idx], strict=False)]]] = 2
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
    both = (a != "") & (b != "")
    level = np.where(both, 1, 0).astype(np.int8)
    level[both & (a == b)] = top
    return level
