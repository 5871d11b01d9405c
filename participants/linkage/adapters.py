"""The engine's comparisons as a ``recordlinkage`` comparison feature.

With ``recordlinkage.Compare().add(EngineFeatures())`` the engine's agreement levels (one
integer column per feature, 0 = not comparable) can feed recordlinkage's own classifiers or
notebooks. The frames given to ``Compare.compute`` must be prepared with ``prepare``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from recordlinkage.base import BaseCompareFeature

from .comparing import compare, compared_columns, feature_levels
from .config import LinkageConfig


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
