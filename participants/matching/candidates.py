"""Rows against the registry: the engine over every record of each candidate person."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from participants.linkage import LinkageConfig, prepare, probability_from_bits
from participants.linkage.grouped.linking import link_groups
from participants.linkage_store import ModelInUse
from participants.matching.frequencies import (
    RegistryCounts,
    registry_size,
    with_registry_frequencies,
)
from participants.record_frames.blocking import candidate_person_ids
from participants.record_frames.descriptions import records_frame

__all__ = ["RegistryMatch", "registry_candidates", "registry_matches", "registry_size"]


@dataclass(frozen=True)
class RegistryMatch:
    person_id: int
    decision: str  # "link" | "review"
    bits: float
    reasons: str

    @property
    def probability(self) -> float:
        return probability_from_bits(self.bits)


def registry_matches(
    rows: pd.DataFrame,
    indexes: list[int],
    config: LinkageConfig,
    model: ModelInUse,
    counts: RegistryCounts | None = None,
) -> dict[int, RegistryMatch]:
    """`indexes[i]` (the i-th of `rows`) -> its best match among registry persons, if any."""
    return {
        row: found[0]
        for row, found in registry_candidates(rows, indexes, config, model, counts).items()
    }


def registry_candidates(
    rows: pd.DataFrame,
    indexes: list[int],
    config: LinkageConfig,
    model: ModelInUse,
    counts: RegistryCounts | None = None,
) -> dict[int, list[RegistryMatch]]:
    """`indexes[i]` -> every registry person it matches at or above the review threshold,
    best first (a school registration shows them all; the import takes the best)."""
    counts = counts or RegistryCounts()
    if rows.empty:
        return {}
    candidates = candidate_person_ids(rows)
    if not candidates:
        return {}
    records, owners = records_frame(candidates)
    size = counts.size()
    frame = rows.reset_index(drop=True)
    new_p = prepare(frame, config)
    result = link_groups(
        new_p,
        # Frequencies are read on the registry's side of each pair.
        with_registry_frequencies(
            prepare(records, config), size, rows=new_p, model=model.model, counts=counts
        ),
        owners,
        config=config,
        model=model.model,
        registry_size=size,
    )
    emails = new_p["email_norm"].to_numpy(object)
    # Read once already for the frequencies: the counts object answers from what it holds.
    holders_of = counts.counts(set(), set(), set(emails), set())[2]
    shared = {email: n for email, n in holders_of.items() if n > 1}
    found: dict[int, list[RegistryMatch]] = {}
    # Sorted by row, then score descending: the first pair of each row is its best.
    for new_id, person, bits, decision, reasons in result[
        ["new_id", "group_id", "score", "decision", "reasons"]
    ].itertuples(index=False):
        row = indexes[int(new_id)]
        text = str(reasons)
        holders = shared.get(emails[int(new_id)], 0)
        if holders and "correo igual" in text:
            # How widely the address is shared, the reason it weighed what it did.
            text += f"; correo compartido por {holders} personas del registro"
        found.setdefault(row, []).append(
            RegistryMatch(int(person), str(decision), float(bits), text)
        )
    return found
