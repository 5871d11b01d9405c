"""The engine as ``recordlinkage`` plug-ins: its blocking passes and its comparisons.

With ``recordlinkage.Index().add(EngineIndex())`` and ``recordlinkage.Compare().add(
EngineFeatures())`` the engine's candidate pairs and agreement levels (one integer column per
feature, 0 = not comparable) can feed recordlinkage's own classifiers or notebooks. The
frames given to ``Compare.compute`` must be prepared with ``prepare``.

Only this module imports ``recordlinkage`` (about 2 s of imports, which every process that
links rows would otherwise pay): ``participants.linkage`` loads it on first use of either
name.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from recordlinkage.base import BaseCompareFeature, BaseIndexAlgorithm

from .blocking import dedupe_candidates, link_candidates
from .comparing import compare, compared_columns
from .config import LinkageConfig
from .features import feature_levels
from .keys import prepare


class EngineFeatures(BaseCompareFeature):
    """All agreement levels of the engine; column labels are the feature names."""

    name = "engine_features"
    description = "Agreement levels of participants.linkage"

    def __init__(self, config: LinkageConfig | None = None) -> None:
        self.config = config or LinkageConfig()
        columns = list(compared_columns(self.config))
        super().__init__(columns, columns, label=list(feature_levels(self.config)))

    def _compute(
        self, left_on: tuple[pd.Series, ...], right_on: tuple[pd.Series, ...]
    ) -> pd.DataFrame:
        columns = self.labels_left
        left = pd.DataFrame({c: s.to_numpy() for c, s in zip(columns, left_on, strict=True)})
        right = pd.DataFrame({c: s.to_numpy() for c, s in zip(columns, right_on, strict=True)})
        positions = np.arange(len(left))
        return pd.DataFrame(compare(left, right, positions, positions, self.config).levels)


class EngineIndex(BaseIndexAlgorithm):
    """The engine's blocking passes as a ``recordlinkage`` index algorithm.

    Usage: ``recordlinkage.Index().add(EngineIndex(config))``; frames may be raw or prepared.
    """

    def __init__(self, config: LinkageConfig | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.config = config or LinkageConfig()

    def _dedup_index(self, df_a: pd.DataFrame) -> pd.MultiIndex:
        pairs = dedupe_candidates(prepare(df_a, self.config), self.config)
        # recordlinkage's convention for deduplication is (larger, smaller) index labels.
        return pd.MultiIndex.from_arrays([df_a.index[pairs.right], df_a.index[pairs.left]])

    def _link_index(self, df_a: pd.DataFrame, df_b: pd.DataFrame) -> pd.MultiIndex:
        pairs = link_candidates(prepare(df_a, self.config), prepare(df_b, self.config), self.config)
        return pd.MultiIndex.from_arrays([df_a.index[pairs.left], df_b.index[pairs.right]])
