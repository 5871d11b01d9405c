"""Record linkage engine for trainee rosters (pure functions over pandas DataFrames).

Input frames follow the canonical schema: indexed by a unique integer id, string columns
``given_names``, ``paternal_surname``, ``maternal_surname``, ``dni``, ``sex``, ``birth_date``
(YYYY-MM-DD), ``email``, ``phone`` and optionally ``institution``, ``role``, ``region``, with ''
for missing values. Officials change institution, role and region between courses: role is
ignored, and institution / region agreement is weak evidence only (capped at
``LinkageConfig.weak_evidence_bits``, default 2 bits); disagreement costs at most half a bit.

Public API
----------
``LinkageConfig``
    Frozen settings: ``upper_threshold`` / ``lower_threshold`` on the score, the DNI conflict
    policy, blocking options, extra comparison fields.
``prepare(df, config=None) -> DataFrame``
    Normalised fields, phonetic keys, DNI variants, blocking keys and value frequencies.
    Prepare the registry once and pass the prepared frame to ``link`` for speed (``link`` and
    ``dedupe`` accept raw or prepared frames; a prepared frame must have been prepared with
    the same ``extra_fields`` / ``extra_blocks``).
``fit(records, *, registry=None, config=...) -> LinkageModel``
    Estimate the Fellegi-Sunter model (m by EM on candidate pairs, u on random pairs), to
    reuse across calls. Fit on a roster linked to the registry (``registry=``) when the
    registry is already deduplicated; without a model, ``link`` and ``dedupe`` fit one on the
    pairs at hand.
``link(new, registry, *, config, cannot_link=(), must_link=(), model=None) -> DataFrame``
    Columns ``new_id``, ``registry_id``, ``score``, ``decision`` ('link' | 'review'),
    ``reasons``; only pairs scoring at or above the lower threshold.
``dedupe(records, *, config, must_link=(), cannot_link=(), model=None) -> DedupeResult``
    Duplicates within one frame: ``.pairs`` (``left_id``, ``right_id``, ``score``,
    ``decision``, ``reasons``), ``.clusters`` (Series id -> cluster id, the smallest member
    id) and ``.conflicts`` (must-link pairs that could not be honoured).

Score scale
-----------
``score`` is the Fellegi-Sunter match weight in bits: log2 of the posterior odds that the two
records are the same person, prior included. ``probability = 1 / (1 + 2 ** -score)``. Defaults:
upper threshold 8 (256:1, p = 0.996), lower threshold 0 (even odds). The prior shrinks as the
registry grows (a name agreement means less among a million people than among a thousand).

``EngineIndex`` / ``EngineFeatures``
    The blocking passes and the comparisons as ``recordlinkage`` Index / Compare plug-ins.

Labelled synthetic data for tests and benchmarks: ``participants.linkage.synthetic``
(``synthetic_registry``, ``generate_people``, ``generate_records``, ``true_pairs``).

Hard rules
----------
- Two different valid 8-digit DNIs never auto-link and never share a cluster, but for one typo
  apart between names that agree in full (``LinkageConfig.dni_typo_links``, ``dni_conflict``);
  such pairs can still reach review.
- Clusters are built from auto-links strongest first and never join a cannot-link pair;
  must-link pairs are joined first unless that would join different DNIs (then reported in
  ``conflicts``).
"""

from typing import Any

from .blocking import dedupe_candidates, link_candidates
from .classifying import LinkageModel, bits_from_probability, probability_from_bits
from .config import DEFAULT_CONFIG, LinkageConfig
from .keys import prepare
from .pipeline import DedupeResult, dedupe, fit, link

__all__ = [
    "DEFAULT_CONFIG",
    "DedupeResult",
    "EngineFeatures",
    "EngineIndex",
    "LinkageConfig",
    "LinkageModel",
    "bits_from_probability",
    "dedupe",
    "dedupe_candidates",
    "fit",
    "link",
    "link_candidates",
    "prepare",
    "probability_from_bits",
]


def __getattr__(name: str) -> Any:
    # The recordlinkage plug-ins load recordlinkage, which most processes never need.
    if name in ("EngineFeatures", "EngineIndex"):
        from . import adapters

        return getattr(adapters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
