"""Derived features and blocking keys of canonical records (``prepare``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from participants.names import fold, maternal_core, second_given_name, surname_core
from participants.phonetic import spanish_phonetic_key

from .config import LinkageConfig
from .dni import clean_dni_text
from .placeholders import is_placeholder_dni

TEXT_COLUMNS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "dni",
    "sex",
    "birth_date",
    "email",
    "phone",
)
OPTIONAL_COLUMNS = ("institution", "role", "region")

# Blocking keys that are one column each (int64 hashes, 0 = no key).
SINGLE_KEYS = (
    "k_dni",
    "k_names",
    "k_swapped",
    "k_pat_giv_dob",
    "k_surnames_dob",
    "k_giv_dob",
    "k_given_pat",
    "k_email",
    "k_phone",
)
DNI_DELETION_KEYS = tuple(f"k_dni_del{i}" for i in range(8))
# Blocking passes of two columns, where a row meets a record through either column (the
# passes' keys are pooled, as the DNI deletions are):
# - a person who signs with the second given name ("MARIA ELENA" / "ELENA"): the names key
#   of a one-given-name row meets the same key built on the second given name;
# - surnames swapped with the maternal one reduced to an initial ("CCAHUANA P. WILBER" /
#   "PEREZ CCAHUANA WILBER"): paternal + given of a row without a full maternal surname
#   meets maternal + given of a row with one.
PAIRED_KEYS = {
    "k_second_given": ("k_one_given", "k_given_second"),
    "k_swapped_initial": ("k_short_maternal", "k_maternal_given"),
}
PREPARED_MARK = "_prepared"
# The compared texts that also get integer codes (``code_column``), so that a frame compared
# with itself compares ints, not strings. Texts compared with each other - a surname typed
# in the other's place, a second given name used as the first - share one numbering.
CODE_SPACES = (
    ("giv",),
    ("giv1", "giv2"),
    ("giv_rest",),
    ("pat", "mat"),
    ("pat_ph", "mat_ph"),
    ("dni_norm",),
    ("sex_fm",),
    ("email_norm",),
    ("email_user",),
    ("phone9",),
    *((f"{name}_norm",) for name in OPTIONAL_COLUMNS),
)
_NOT_DIGIT = re.compile(r"\D")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _date_part(start: int, stop: int) -> Callable[[str], str]:
    """The characters start:stop of an ISO date, "0" when the date is empty."""
    return lambda v: v[start:stop] or "0"


def _map_unique(
    values: pd.Series | np.ndarray, func: Callable[[str], Any], dtype: type = object
) -> np.ndarray:
    """Apply a Python function once per distinct value (rosters repeat names a lot)."""
    codes, uniques = pd.factorize(values, sort=False)
    mapped: np.ndarray = np.array([func(v) for v in uniques], dtype=dtype)
    if len(mapped) == 0:
        return np.array([""] * len(values), dtype=object) if dtype is object else mapped
    return mapped[codes]


def code_column(column: str) -> str:
    """The column of a prepared frame holding the integer codes of ``column``'s texts."""
    return f"{column}#"


def text_codes(columns: list[np.ndarray]) -> list[np.ndarray]:
    """One numbering of the texts of ``columns``: equal codes exactly for equal texts, 0
    for "" and 1, 2, ... for the others."""
    codes, uniques = pd.factorize(np.concatenate(columns), sort=False)
    table = np.arange(1, len(uniques) + 1, dtype=np.int32)
    table[uniques == ""] = 0
    numbered = table[codes] if len(uniques) else np.zeros(len(codes), np.int32)
    return np.split(numbered, len(columns))


def _hash_values(values: np.ndarray) -> np.ndarray:
    """Stable uint64 hash of each string (the same value always gets the same hash)."""
    return pd.util.hash_array(np.asarray(values, dtype=object), categorize=True)


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)


def _combine(*hashes: np.ndarray) -> np.ndarray:
    """Order-sensitive combination of column hashes (FNV-style, wrapping uint64)."""
    acc = np.full(len(hashes[0]), _FNV_OFFSET, dtype=np.uint64)
    for hashed in hashes:
        acc = (acc ^ hashed) * _FNV_PRIME
        acc ^= acc >> np.uint64(29)
    return acc


def _finish(hashed: np.ndarray, present: np.ndarray) -> np.ndarray:
    """int64 key, 0 where the key is absent (0 itself is never produced)."""
    keys = hashed.view(np.int64)
    return np.where(present, np.where(keys == 0, 1, keys), 0)


def _join(*parts: np.ndarray) -> np.ndarray:
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + "|" + part
    return out


def _first_token(names: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    series = pd.Series(names, dtype=object)
    first = _map_unique(series, lambda v: v.split(" ", 1)[0])
    rest = _map_unique(series, lambda v: v.split(" ", 1)[1] if " " in v else "")
    return first, rest


def _normalise_dni(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (8-digit DNI or '', valid-as-typed flag, padded-from-7-digits flag).

    Spreadsheets store DNIs as numbers, so "01234567" often arrives as "1234567": a 7-digit
    value is taken as a lost leading zero. Anything else that is not 8 digits is unusable, and
    so is a filler such as "12345678": shared by strangers, it must never count as evidence.
    Each distinct value is read once: a person's records repeat the person's DNI.
    """
    codes, uniques = pd.factorize(np.asarray(raw, dtype=object), sort=False)
    norm, valid, padded = _normalise_distinct_dnis([str(v) for v in uniques])
    return norm[codes], valid[codes], padded[codes]


def _normalise_distinct_dnis(raw: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    digits = np.array(
        [
            v if len(v) == 8 and v.isdigit() else _NOT_DIGIT.sub("", clean_dni_text(v).text)
            for v in raw
        ],
        dtype=object,
    )
    length = np.fromiter((len(v) for v in digits), dtype=np.int64, count=len(digits))
    filler = np.fromiter((is_placeholder_dni(v) for v in digits), dtype=bool, count=len(digits))
    valid = (length == 8) & ~filler
    padded = (length == 7) & ~filler
    norm = np.where(valid, digits, np.where(padded, "0" + digits, ""))
    return norm.astype(object), valid, padded


# The place value of each of a DNI's 8 digits, first digit first.
_DNI_PLACES = 10 ** np.arange(7, -1, -1, dtype=np.int64)


def _dni_numbers(dni: np.ndarray) -> np.ndarray:
    """Each 8-digit DNI as a number (0 where there is none), for comparing digit by digit."""
    present = np.array([len(d) == 8 for d in dni], dtype=bool)
    number = np.zeros(len(dni), dtype=np.int64)
    if present.any():
        joined = "".join(d for d in dni[present])
        digits = np.frombuffer(joined.encode(), dtype=np.uint8).reshape(-1, 8) - 48
        number[present] = digits.astype(np.int64) @ _DNI_PLACES
    return number


def dni_digits(numbers: np.ndarray) -> np.ndarray:
    """The 8 digits of each DNI number (``_dni_numbers``), first digit first."""
    return numbers[:, None] // _DNI_PLACES[None, :] % 10


def _dni_deletions(number: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Eight keys per DNI (given as ``_dni_numbers``): the number with one position deleted.

    Two DNIs one substitution apart share the deletion at that position, and an adjacent
    transposition shares the deletion of either swapped digit, so one join over these keys
    finds both kinds of typo.
    """
    out = np.zeros((len(number), 8), dtype=np.int64)
    for pos in range(8):
        # The digits before the deleted one, shifted left over it, and those after it.
        kept = number // 10 ** (8 - pos) * 10 ** (7 - pos) + number % 10 ** (7 - pos)
        # +1 keeps the all-zero remainder distinct from "no key".
        out[:, pos] = np.where(present, kept + 1, 0)
    return out


def _phone9(raw: np.ndarray) -> np.ndarray:
    """Last nine digits (a Peruvian mobile number without the country code 51)."""
    digits = (v if v.isdigit() else _NOT_DIGIT.sub("", v) for v in raw)
    return np.array([d[-9:] if len(d) >= 7 else "" for d in digits], dtype=object)


def _text_column(df: pd.DataFrame, name: str) -> pd.Series:
    """Column `name` of `df` as strings ('' for missing; a missing column is all '')."""
    if name not in df.columns:
        return pd.Series([""] * len(df), index=df.index, dtype=object)
    values = df[name]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        # A spreadsheet column read as numbers: 41234567.0 must become "41234567".
        values = values.round().astype("Int64").astype(str).replace("<NA>", "")
    elif values.hasnans or values.dtype != object:
        values = values.fillna("").astype(str)
    return values


def _folded_words(value: str) -> str:
    return " ".join(fold(value).split())


def _upper_words(value: str) -> str:
    return " ".join(value.upper().split())


def _frequencies(values: np.ndarray, counts: pd.Series, total: int) -> np.ndarray:
    return pd.Series(values).map(counts).fillna(0).to_numpy(float) / total


def prepare(df: pd.DataFrame, config: LinkageConfig | None = None) -> pd.DataFrame:
    """Add normalised fields, phonetic keys, DNI variants and blocking keys.

    Idempotent on already prepared frames. Input columns that are missing count as empty.
    """
    if PREPARED_MARK in df.columns:
        return df
    config = config or LinkageConfig()
    n = len(df)
    # The derived columns, in their order, made into one frame at the end: adding them to a
    # frame one by one cost more than computing them.
    out: dict[str, np.ndarray] = {}
    texts: dict[str, pd.Series] = {}

    def col(name: str) -> pd.Series:
        if name not in texts:
            texts[name] = _text_column(df, name)
        return texts[name]

    for name in TEXT_COLUMNS + OPTIONAL_COLUMNS:
        out[name] = col(name).to_numpy(object)
    for name in OPTIONAL_COLUMNS:
        out[f"{name}_norm"] = _map_unique(col(name), _folded_words)
    for name in config.extra_fields:
        out[name] = _map_unique(col(name), _upper_words)

    giv = _map_unique(col("given_names"), fold)
    # Surnames are compared by the part people recognise them by: "De la Cruz", "Delacruz"
    # and "Cruz" are one surname, and a married "de Apaza" is no evidence either way.
    pat = _map_unique(col("paternal_surname"), lambda v: surname_core(fold(v)))
    mat = _map_unique(col("maternal_surname"), lambda v: maternal_core(fold(v)))
    giv1, giv_rest = _first_token(giv)
    out["giv"], out["giv1"], out["giv_rest"] = giv, giv1, giv_rest
    # The second given name is the next word that is no particle: "MARIA DEL CARMEN" -> CARMEN.
    giv2 = _map_unique(pd.Series(giv_rest), second_given_name)
    out["giv2"] = giv2
    out["pat"], out["mat"] = pat, mat
    # "M." is stored folded as "M": a one-letter surname is an initial.
    pat_length, mat_length, giv1_length = (
        _map_unique(values, len, dtype=np.int64) for values in (pat, mat, giv1)
    )
    mat_initial = mat_length == 1
    out["pat_initial"] = pat_length == 1
    out["mat_initial"] = mat_initial
    pat_ph = _map_unique(pd.Series(pat), spanish_phonetic_key)
    mat_ph = _map_unique(pd.Series(mat), spanish_phonetic_key)
    giv1_ph = _map_unique(pd.Series(giv1), spanish_phonetic_key)
    out["pat_ph"], out["mat_ph"], out["giv1_ph"] = pat_ph, mat_ph, giv1_ph
    giv2_ph = _map_unique(pd.Series(giv2), spanish_phonetic_key)
    giv_ph = _map_unique(
        pd.Series(giv), lambda v: " ".join(spanish_phonetic_key(t) for t in v.split())
    )

    dni, dni_valid, dni_padded = _normalise_dni(col("dni").to_numpy(object))
    out["dni_norm"], out["dni_valid"], out["dni_padded"] = dni, dni_valid, dni_padded
    dob = _map_unique(col("birth_date"), lambda v: v.strip() if _DATE.fullmatch(v.strip()) else "")
    out["dob"] = dob
    for name, (start, stop) in (("dob_y", (0, 4)), ("dob_m", (5, 7)), ("dob_d", (8, 10))):
        out[name] = _map_unique(pd.Series(dob), _date_part(start, stop)).astype(np.int32)
    out["sex_fm"] = _map_unique(
        col("sex"), lambda v: v.strip().upper() if v.strip().upper() in ("F", "M") else ""
    )
    email = _map_unique(col("email"), lambda v: v.strip().lower())
    phone9 = _phone9(col("phone").to_numpy(object))
    out["email_norm"] = email
    out["phone9"] = phone9
    out["email_user"] = _map_unique(pd.Series(email), lambda v: v.split("@")[0])

    has = {
        name: values != ""
        for name, values in (("pat_ph", pat_ph), ("mat_ph", mat_ph), ("giv1_ph", giv1_ph))
    }
    has["dob"] = dob != ""
    lo = np.where(pat_ph <= mat_ph, pat_ph, mat_ph)
    hi = np.where(pat_ph <= mat_ph, mat_ph, pat_ph)
    # Composite keys combine per-column hashes (each distinct value hashed once) instead of
    # hashing joined strings: the same keys at a fraction of the cost on a million rows.
    h = {
        name: _hash_values(values)
        for name, values in (
            ("pat", pat_ph),
            ("mat", mat_ph),
            ("giv1", giv1_ph),
            ("dob", dob),
            ("lo", lo),
            ("hi", hi),
            ("giv", giv_ph),
            ("giv2", giv2_ph),
        )
    }
    names_present = has["pat_ph"] & has["mat_ph"] & has["giv1_ph"]
    keys = {
        "k_dni": (_hash_values(dni), dni != ""),
        "k_names": (_combine(h["pat"], h["mat"], h["giv1"]), names_present),
        # Sorted surname pair: the same key whichever order the surnames were typed in.
        "k_swapped": (_combine(h["lo"], h["hi"], h["giv1"]), names_present),
        "k_pat_giv_dob": (
            _combine(h["pat"], h["giv1"], h["dob"]),
            has["pat_ph"] & has["giv1_ph"] & has["dob"],
        ),
        "k_surnames_dob": (
            _combine(h["lo"], h["hi"], h["dob"]),
            has["pat_ph"] & has["mat_ph"] & has["dob"],
        ),
        "k_giv_dob": (_combine(h["giv1"], h["dob"]), has["giv1_ph"] & has["dob"]),
        "k_given_pat": (
            _combine(h["pat"], h["giv"]),
            has["pat_ph"] & (pd.Series(giv_ph).str.count(" ") > 0).to_numpy(),
        ),
        "k_one_given": (
            _combine(h["pat"], h["mat"], h["giv1"]),
            names_present & (giv_rest == ""),
        ),
        "k_given_second": (
            _combine(h["pat"], h["mat"], h["giv2"]),
            has["pat_ph"] & has["mat_ph"] & (giv2_ph != ""),
        ),
        "k_short_maternal": (
            _combine(h["pat"], h["giv1"]),
            has["pat_ph"] & has["giv1_ph"] & (~has["mat_ph"] | mat_initial),
        ),
        "k_maternal_given": (
            _combine(h["mat"], h["giv1"]),
            has["mat_ph"] & has["giv1_ph"] & ~mat_initial,
        ),
        "k_email": (_hash_values(email), email != ""),
        "k_phone": (_hash_values(phone9), phone9 != ""),
    }
    for name, (hashed, present) in keys.items():
        out[name] = _finish(hashed, present)
    out["dni_number"] = _dni_numbers(dni)
    deletions = _dni_deletions(out["dni_number"], dni != "")
    for pos, name in enumerate(DNI_DELETION_KEYS):
        out[name] = deletions[:, pos]
    for i, columns in enumerate(config.extra_blocks):
        parts = [_map_unique(col(c), _upper_words) for c in columns]
        present = np.logical_and.reduce([p != "" for p in parts])
        out[f"k_extra{i}"] = _finish(_combine(*(_hash_values(p) for p in parts)), present)
    sn_key = _join(pat, giv1, mat)
    out["sn_key"] = sn_key
    # Row positions in sorted-name order, so linking against a prepared registry does not
    # sort a million strings again (fixed-width unicode sorts twice as fast as objects).
    out["sn_order"] = np.argsort(sn_key.astype("U"), kind="stable")
    # Value frequencies within this frame, for the term-frequency adjustment of agreements.
    # Surnames are pooled: a surname is as common whether it was typed first or second.
    surnames = pd.Series(np.concatenate([pat, mat]))
    surname_counts = surnames[np.concatenate([pat_length, mat_length]) > 1].value_counts()
    given_counts = pd.Series(giv1)[giv1_length > 1].value_counts()
    total = max(n, 1)
    out["pat_freq"] = _frequencies(pat, surname_counts, total)
    out["mat_freq"] = _frequencies(mat, surname_counts, total)
    out["giv1_freq"] = _frequencies(giv1, given_counts, total)
    for values, name in ((email, "email_freq"), (phone9, "phone_freq")):
        counts = pd.Series(values[values != ""]).value_counts()
        out[name] = _frequencies(values, counts, total)
    for space in (*CODE_SPACES, *((name,) for name in config.extra_fields)):
        for name, codes in zip(space, text_codes([out[name] for name in space]), strict=True):
            out[code_column(name)] = codes
    out[PREPARED_MARK] = np.full(n, True)
    # The columns are new arrays: the frame takes them as they are. Copied into one block
    # per type (pandas' default for a dict), they cost a third of the preparation of a
    # million persons' records and twice their memory for a while.
    return pd.DataFrame(out, index=df.index, copy=False)
