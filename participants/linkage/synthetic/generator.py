"""Labelled generator of messy synthetic Peruvian rosters (no real person's data).

Persons are drawn first (names with Zipf-like frequencies, unique DNIs, birth dates,
contacts), then several records per person with the defects seen in partner spreadsheets.
Everything is vectorised with numpy and seeded, so a million persons take seconds and the
same seed always gives the same frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from unidecode import unidecode

from . import vocabulary as vocab


@dataclass(frozen=True)
class Messiness:
    """Per-record probabilities of each defect."""

    maternal_missing: float = 0.10
    maternal_initial: float = 0.06
    surnames_swapped: float = 0.03
    second_name_dropped: float = 0.30
    accents_dropped: float = 0.5
    typo: float = 0.08
    dni_missing: float = 0.15
    dni_one_digit: float = 0.02
    dni_transposed: float = 0.01
    dni_zero_lost: float = 0.5  # of DNIs that start with 0
    birth_date_missing: float = 0.45
    birth_date_wrong: float = 0.02
    sex_missing: float = 0.25
    email_missing: float = 0.45
    phone_missing: float = 0.45
    job_changed: float = 0.35
    namesakes: float = 0.02  # persons who copy another person's full name
    siblings: float = 0.02  # persons who copy another person's two surnames


def _vocabulary(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seen, surnames = set(), []
    for name in list(vocab.SURNAMES) + vocab.rare_surnames(3000, 7):
        key = unidecode(name).upper()
        if key not in seen:
            seen.add(key)
            surnames.append(name)
    return (
        np.array(surnames, dtype=object),
        np.array(vocab.FEMALE_NAMES, dtype=object),
        np.array(vocab.MALE_NAMES, dtype=object),
    )


def _pick(rng: np.random.Generator, values: np.ndarray, size: int, exponent: float) -> np.ndarray:
    return values[rng.choice(len(values), size=size, p=vocab.zipf_weights(len(values), exponent))]


def _typo(word: str, r: float, pos: float, letter: str) -> str:
    if len(word) < 3:
        return word
    i = int(pos * (len(word) - 1))
    if r < 0.3:
        return word[:i] + letter + word[i + 1 :]
    if r < 0.5:
        return word[:i] + word[i + 1 :]
    if r < 0.7:
        return word[:i] + letter + word[i:]
    if r < 0.85 and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    # Spelling variants that Spanish speakers produce by ear.
    for a, b in (
        ("V", "B"),
        ("B", "V"),
        ("Z", "S"),
        ("S", "Z"),
        ("LL", "Y"),
        ("HU", "GU"),
        ("Y", "I"),
    ):
        if a in word.upper():
            j = word.upper().index(a)
            return word[:j] + (b if word[j].isupper() else b.lower()) + word[j + len(a) :]
    return word[:i] + letter + word[i + 1 :]


def _people(n: int, rng: np.random.Generator, mess: Messiness, seed: int) -> pd.DataFrame:
    surnames, female, male = _vocabulary(seed)
    sex = np.where(rng.random(n) < 0.45, "F", "M").astype(object)
    is_f = sex == "F"
    giv1 = np.where(is_f, _pick(rng, female, n, 1.0), _pick(rng, male, n, 1.0))
    giv2 = np.where(is_f, _pick(rng, female, n, 0.8), _pick(rng, male, n, 0.8))
    has2 = (rng.random(n) < 0.6) & (giv2 != giv1)
    given = np.where(has2, giv1 + " " + giv2, giv1)
    pat = _pick(rng, surnames, n, 1.0)
    mat = _pick(rng, surnames, n, 1.0)
    # Namesakes (same full name, another person) and siblings (same surnames).
    for share, fields in (
        (mess.namesakes, ("given", "pat", "mat")),
        (mess.siblings, ("pat", "mat")),
    ):
        who = np.flatnonzero(rng.random(n) < share)
        src = rng.integers(0, n, len(who))
        cols = {"given": given, "pat": pat, "mat": mat}
        for f in fields:
            cols[f][who] = cols[f][src]
        if "given" in fields:
            sex[who] = sex[src]
    dni = np.unique(rng.integers(0, 80_000_000, int(n * 1.1) + 10))
    dni = rng.permutation(dni)[:n]
    birth = np.datetime64("1960-01-01") + rng.integers(0, 40 * 365, n).astype("timedelta64[D]")
    first_given = pd.Series(given).str.split(" ").str[0]
    user = (
        first_given.map(unidecode).str.lower()
        + "."
        + pd.Series(pat).map(unidecode).str.lower()
        + pd.Series(rng.integers(1, 9999, n)).astype(str)
    )
    email = (
        user + "@" + pd.Series(np.array(vocab.EMAIL_DOMAINS, object)[rng.integers(0, 8, n)])
    ).to_numpy(object)
    phone = np.char.add(
        "519", np.char.zfill(rng.integers(0, 100_000_000, n).astype(str), 8)
    ).astype(object)
    return pd.DataFrame(
        {
            "person_id": np.arange(n),
            "given": given,
            "pat": pat,
            "mat": mat,
            "sex": sex,
            "dni": np.char.zfill(dni.astype(str), 8).astype(object),  # about 1 in 8 starts with 0
            "birth_date": np.datetime_as_string(birth, unit="D").astype(object),
            "email": email,
            "phone": phone,
            "institution": rng.integers(0, len(vocab.INSTITUTIONS), n),
            "role": rng.integers(0, len(vocab.ROLES), n),
            "region": rng.integers(0, len(vocab.REGIONS), n),
        }
    )


def _apply(values: np.ndarray, mask: np.ndarray, func) -> None:
    idx = np.flatnonzero(mask)
    values[idx] = [func(i, v) for i, v in zip(idx, values[idx], strict=False)]


def _records(
    people: pd.DataFrame, per_person: np.ndarray, rng: np.random.Generator, mess: Messiness
) -> pd.DataFrame:
    src = np.repeat(np.arange(len(people)), per_person)
    rng.shuffle(src)
    n = len(src)
    p = {c: people[c].to_numpy()[src] for c in people.columns}
    u = rng.random((n, 24))
    letters = np.array(list("ABCDEFGHIJLMNOPRSTUVYZ"), dtype=object)[rng.integers(0, 22, n)]

    given = p["given"].copy()
    _apply(
        given,
        (u[:, 0] < mess.second_name_dropped) & (pd.Series(given).str.contains(" ").to_numpy()),
        lambda i, v: v.split(" ")[0],
    )
    pat, mat = p["pat"].copy(), p["mat"].copy()
    swap = u[:, 1] < mess.surnames_swapped
    pat[swap], mat[swap] = p["mat"][swap], p["pat"][swap]
    mat = np.where(u[:, 2] < mess.maternal_missing, "", mat)
    initial = (u[:, 2] >= mess.maternal_missing) & (
        u[:, 2] < mess.maternal_missing + mess.maternal_initial
    )
    _apply(mat, initial, lambda i, v: v[:1] + ("." if u[i, 3] < 0.5 else ""))
    fields = [given, pat, mat]
    typo_field = (u[:, 4] * 3).astype(int)
    for f, values in enumerate(fields):
        _apply(
            values,
            (u[:, 5] < mess.typo) & (typo_field == f),
            # An object array of one-letter strings.
            lambda i, v: _typo(v, u[i, 6], u[i, 7], cast(str, letters[i])),
        )
    for values in fields:
        _apply(values, u[:, 8] < mess.accents_dropped, lambda i, v: unidecode(v))
        case = u[:, 9]
        _apply(values, case < 0.7, lambda i, v: v.upper())
        _apply(values, (case >= 0.7) & (case < 0.8), lambda i, v: v.lower())

    dni = p["dni"].copy()
    digits = rng.integers(0, 10, n).astype(str)
    one = u[:, 11] < mess.dni_one_digit
    _apply(
        dni,
        one,
        lambda i, v: (
            v[: int(u[i, 12] * 8)]
            + (digits[i] if digits[i] != v[int(u[i, 12] * 8)] else str((int(digits[i]) + 1) % 10))
            + v[int(u[i, 12] * 8) + 1 :]
        ),
    )
    trans = (~one) & (u[:, 11] < mess.dni_one_digit + mess.dni_transposed)
    _apply(
        dni, trans, lambda i, v: (lambda k: v[:k] + v[k + 1] + v[k] + v[k + 2 :])(int(u[i, 12] * 7))
    )
    lost = (pd.Series(dni).str[0] == "0").to_numpy() & (u[:, 13] < mess.dni_zero_lost)
    _apply(dni, lost, lambda i, v: v.lstrip("0") or "0")
    dni = np.where(u[:, 14] < mess.dni_missing, "", dni)

    birth = p["birth_date"].copy()
    _apply(
        birth,
        u[:, 15] < mess.birth_date_wrong,
        lambda i, v: (
            f"{v[:4]}-{v[8:10]}-{v[5:7]}" if int(v[8:10]) <= 12 else f"{int(v[:4]) + 1}{v[4:]}"
        ),
    )
    birth = np.where(u[:, 16] < mess.birth_date_missing, "", birth)
    sex = np.where(u[:, 17] < mess.sex_missing, "", p["sex"])
    email = np.where(u[:, 18] < mess.email_missing, "", p["email"])
    phone = np.where(u[:, 19] < mess.phone_missing, "", p["phone"])
    moved = u[:, 20] < mess.job_changed
    inst = np.where(moved, rng.integers(0, len(vocab.INSTITUTIONS), n), p["institution"])
    role = np.where(moved, rng.integers(0, len(vocab.ROLES), n), p["role"])
    region = np.where(moved & (u[:, 21] < 0.5), rng.integers(0, len(vocab.REGIONS), n), p["region"])
    return pd.DataFrame(
        {
            "given_names": given,
            "paternal_surname": pat,
            "maternal_surname": mat,
            "dni": dni,
            "sex": sex,
            "birth_date": birth,
            "email": email,
            "phone": phone,
            "institution": np.array(vocab.INSTITUTIONS, object)[inst],
            "role": np.array(vocab.ROLES, object)[role],
            "region": np.array(vocab.REGIONS, object)[region],
            "person_id": p["person_id"],
        },
        index=pd.RangeIndex(n, name="id"),
    )


def generate_people(n_persons: int, seed: int = 0, mess: Messiness | None = None) -> pd.DataFrame:
    """The true persons (clean attributes), ``person_id`` 0..n-1."""
    return _people(n_persons, np.random.default_rng(seed), mess or Messiness(), seed)


def generate_records(
    people: pd.DataFrame,
    *,
    records_per_person: tuple[float, ...] = (0.5, 0.25, 0.15, 0.1),
    seed: int = 0,
    mess: Messiness | None = None,
    first_id: int = 0,
) -> pd.DataFrame:
    """Messy records of ``people``; ``records_per_person[k]`` is the share with k+1 records.

    Returns the canonical schema (before normalisation) plus ``person_id``, the true label.
    """
    rng = np.random.default_rng(seed + 1)
    shares = np.asarray(records_per_person, float)
    per_person = rng.choice(
        np.arange(1, len(shares) + 1), size=len(people), p=shares / shares.sum()
    )
    out = _records(people, per_person, rng, mess or Messiness())
    out.index = pd.RangeIndex(first_id, first_id + len(out), name="id")
    return out


def synthetic_registry(
    n_records: int, seed: int = 0, mess: Messiness | None = None
) -> pd.DataFrame:
    """About ``n_records`` messy records (exactly that many) with duplicates, labelled."""
    mean = 1.85
    people = generate_people(int(n_records / mean) + 10, seed, mess)
    records = generate_records(people, seed=seed, mess=mess)
    return records.iloc[:n_records].copy()


def true_pairs(records: pd.DataFrame) -> set[tuple[int, int]]:
    """All (smaller id, larger id) pairs of records of the same person."""
    out: set[tuple[int, int]] = set()
    for ids in records.groupby("person_id").groups.values():
        ordered = sorted(ids)
        out.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :])
    return out
