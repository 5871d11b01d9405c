"""New rows linked to the registry's persons (``link_groups``).

Every record of each candidate person is compared with the row and the evidence pooled per
person (``pooling``); a row that matches several persons automatically goes to review.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..arrays import unique_ints
from ..blocking import link_candidates
from ..classifying import LinkageModel, prior_bits, score_pairs
from ..comparing import compare
from ..config import LinkageConfig
from ..keys import prepare
from ..pipeline import automatic_links
from ..reasons import explain
from .pooling import best_per_group, far_dnis

RESULT_COLUMNS = ("new_id", "group_id", "score", "decision", "reasons")


def _all_records_of_groups(
    left: np.ndarray, right: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, record) pairs for every record of every group a candidate record belongs to."""
    pair_groups = unique_ints(left.astype(np.int64) * (groups.max() + 1) + groups[right])
    rows, wanted = pair_groups // (groups.max() + 1), pair_groups % (groups.max() + 1)
    order = np.argsort(groups, kind="stable")
    sorted_groups = groups[order]
    starts = np.searchsorted(sorted_groups, wanted, side="left")
    stops = np.searchsorted(sorted_groups, wanted, side="right")
    sizes = stops - starts
    positions = np.repeat(starts, sizes) + (
        np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    )
    return np.repeat(rows, sizes), order[positions]


def link_groups(
    new: pd.DataFrame,
    records: pd.DataFrame,
    groups: np.ndarray,
    *,
    config: LinkageConfig,
    model: LinkageModel,
    registry_size: int,
) -> pd.DataFrame:
    """Score each row of ``new`` against the persons (``groups``) of ``records``.

    ``groups[i]`` is the person (a non-negative int) of the i-th record. Returns columns
    new_id, group_id, score, decision ('link' | 'review'), reasons, for the pairs at or above
    the lower threshold; a row with several automatic matches is sent to review.
    """
    new_p = prepare(new, config)
    rec_p = prepare(records, config)
    groups = np.asarray(groups, dtype=np.int64)
    if len(new_p) == 0 or len(rec_p) == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    cands = link_candidates(new_p, rec_p, config)
    if len(cands) == 0:
        return pd.DataFrame(columns=list(RESULT_COLUMNS))
    left, right = _all_records_of_groups(cands.left, cands.right, groups)
    comparison = compare(new_p, rec_p, left, right, config)
    keys = left * (groups.max() + 1) + groups[right]
    pooled, unique = best_per_group(comparison, keys)
    rows, person = unique // (groups.max() + 1), unique % (groups.max() + 1)
    prior = prior_bits(config.link_match_rate / max(registry_size, 1))
    score, used = score_pairs(pooled, model, prior, config)
    link = automatic_links(score, pooled, config)
    keep = np.flatnonzero((score >= config.lower_threshold) & ~far_dnis(pooled))
    out = pd.DataFrame(
        {
            "new_id": new_p.index.to_numpy()[rows[keep]],
            "group_id": person[keep],
            "score": score[keep],
            "decision": np.where(link[keep], "link", "review").astype(object),
            "reasons": explain(pooled, used, keep, config).astype(str),
        }
    )
    auto = out["decision"] == "link"
    ambiguous = auto & out["new_id"].map(out.loc[auto, "new_id"].value_counts()).gt(1)
    out.loc[ambiguous, "decision"] = "review"
    out.loc[ambiguous, "reasons"] = (
        "coinciden varias personas del registro; " + out.loc[ambiguous, "reasons"]
    )
    return out.sort_values(["new_id", "score"], ascending=[True, False], kind="stable").reset_index(
        drop=True
    )
