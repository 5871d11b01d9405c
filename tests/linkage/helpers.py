"""Small builders of canonical record frames for the linkage tests (synthetic people only)."""

from __future__ import annotations

import pandas as pd

from participants.linkage import LinkageModel, fit
from participants.linkage.keys import OPTIONAL_COLUMNS, TEXT_COLUMNS
from participants.linkage.synthetic import synthetic_registry

COLUMNS = (*TEXT_COLUMNS, *OPTIONAL_COLUMNS)


def frame(*records: dict[str, str], first_id: int = 1) -> pd.DataFrame:
    """A canonical frame from partial records; unspecified fields are ''."""
    rows = [{c: r.get(c, "") for c in COLUMNS} for r in records]
    return pd.DataFrame(rows, index=pd.RangeIndex(first_id, first_id + len(rows), name="id"))


_BACKGROUND: dict[int, pd.DataFrame] = {}
_MODEL: dict[int, LinkageModel] = {}


def background(n: int = 2000) -> pd.DataFrame:
    """A synthetic registry giving realistic name frequencies (ids from 1,000,000)."""
    if n not in _BACKGROUND:
        records = synthetic_registry(n, seed=11).drop(columns="person_id")
        records.index = records.index + 1_000_000
        _BACKGROUND[n] = records
    return _BACKGROUND[n]


def background_model(n: int = 2000) -> LinkageModel:
    if n not in _MODEL:
        _MODEL[n] = fit(background(n))
    return _MODEL[n]


def registry_with(*records: dict[str, str], first_id: int = 1) -> pd.DataFrame:
    return pd.concat([background(), frame(*records, first_id=first_id)])
