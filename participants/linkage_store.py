"""Which linkage model scores pairs: fitted on the registry and stored, or a default one.

Estimating m/u probabilities on a single roster's handful of candidate pairs would make every
import score differently. Instead the model is fitted on a whole population of records and
stored (`LinkageParameters`), each fit a new version:
- cold start: a labelled synthetic population of messy Peruvian rosters that the project
  generates itself (deterministic, so the same everywhere);
- once the registry holds enough identity records, EM on the registry's own records and
  their candidate pairs (records of one person are the matches it learns from), with the
  cold-start fit as a prior worth `PRIOR_PAIRS` pairs, so a young registry's estimates are
  pulled towards it and a large one speaks for itself. `import_rosters` refits after a large
  back-fill and `manage.py dedupe` before it re-examines the registry.
- reviewers' answers are labels: every pair answered "misma persona" re-estimates m
  (`participants.linkage.labels`, as Splink's estimate_m_from_pairwise_labels), blended into
  the EM estimate one pair per answer. The version records how many answers it learned from.
The import preview, each queued pair and each import batch name the version that scored them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

# The registry's users are Django's own (AUTH_USER_MODEL is left at its default).
from django.contrib.auth.models import User
from django.db import transaction

from participants.linkage import DEFAULT_CONFIG, LinkageConfig, LinkageModel, fit
from participants.linkage.blocking import CandidatePairs
from participants.linkage.labels import labelled_patterns, with_labels
from participants.models import Decision, DuplicateCandidate, LinkageParameters
from participants.record_frames.descriptions import person_descriptions, records_frame

# Below this many records the registry says too little about how people differ.
MIN_RECORDS_TO_FIT = 2_000
# How many candidate pairs the cold-start model's estimates count as in a registry fit.
PRIOR_PAIRS = 2_000
COLD_START_LABEL = "modelo inicial (listas generadas)"
SOURCE_LABELS = {"registry": "ajustado al registro"}
SYNTHETIC_RECORDS = 20_000
SYNTHETIC_SEED = 2026


def model_to_dict(model: LinkageModel) -> dict[str, Any]:
    return {
        "features": list(model.features),
        "m": [array.tolist() for array in model.m],
        "u": [array.tolist() for array in model.u],
        "matches_per_record": model.matches_per_record,
        "candidate_match_rate": model.candidate_match_rate,
        "iterations": model.iterations,
    }


def model_from_dict(data: dict[str, Any]) -> LinkageModel:
    return LinkageModel(
        features=tuple(data["features"]),
        m=tuple(np.asarray(values, dtype=float) for values in data["m"]),
        u=tuple(np.asarray(values, dtype=float) for values in data["u"]),
        matches_per_record=float(data["matches_per_record"]),
        candidate_match_rate=float(data["candidate_match_rate"]),
        iterations=int(data["iterations"]),
    )


@lru_cache(maxsize=1)
def synthetic_model() -> LinkageModel:
    """The model fitted on generated rosters (a few seconds, once per process).

    Thresholds do not change what is estimated, so one fit serves every configuration that
    compares the same features.
    """
    from participants.linkage.synthetic.generator import synthetic_registry

    records = synthetic_registry(SYNTHETIC_RECORDS, seed=SYNTHETIC_SEED)
    return fit(records.drop(columns=["person_id"]), config=DEFAULT_CONFIG)


@dataclass(frozen=True)
class ModelInUse:
    """The model that scores pairs now, and which stored version it is (None: cold start)."""

    model: LinkageModel
    version: LinkageParameters | None

    @property
    def label(self) -> str:
        return self.label_of(self.version)

    @staticmethod
    def label_of(version: LinkageParameters | None) -> str:
        """How a page names a stored model version (None: the cold-start model)."""
        if version is None:
            return COLD_START_LABEL
        source = SOURCE_LABELS.get(version.source, version.source)
        labels = int(version.parameters.get("labels", 0))
        learned = f", {labels} decisiones de revisión" if labels else ""
        return (
            f"modelo v{version.pk} ({source}, {version.n_records} registros{learned}, "
            f"{version.created_at:%Y-%m-%d})"
        )


def linkage_model_in_use(config: LinkageConfig = DEFAULT_CONFIG) -> ModelInUse:
    features = synthetic_model_features(config)
    stored = LinkageParameters.objects.order_by("-created_at", "-id").first()
    if stored is not None:
        model = model_from_dict(stored.parameters)
        if model.features == features:
            return ModelInUse(model, stored)
    model = synthetic_model()
    if model.features != features:
        raise ValueError("This configuration compares other features: refit the model.")
    return ModelInUse(model, None)


def linkage_model_current(config: LinkageConfig = DEFAULT_CONFIG) -> LinkageModel:
    return linkage_model_in_use(config).model


def synthetic_model_features(config: LinkageConfig) -> tuple[str, ...]:
    # A stored model fitted with other comparison features (an older engine) is not used.
    from participants.linkage.features import feature_levels

    return tuple(feature_levels(config))


def _with_prior(fitted: LinkageModel, prior: LinkageModel, n_pairs: float) -> LinkageModel:
    """m of the registry fit shrunk towards the cold-start fit (worth PRIOR_PAIRS pairs)."""
    weight = n_pairs / (n_pairs + PRIOR_PAIRS)
    m = tuple(
        weight * mine + (1 - weight) * theirs
        for mine, theirs in zip(fitted.m, prior.m, strict=True)
    )
    return dataclasses.replace(fitted, m=m)


@transaction.atomic
def linkage_model_refit(
    *,
    actor: User | None = None,
    config: LinkageConfig = DEFAULT_CONFIG,
    records: tuple[pd.DataFrame, np.ndarray] | None = None,
    candidates: CandidatePairs | None = None,
) -> LinkageParameters | None:
    """Fit the model on the registry's identity records and store it as a new version;
    None when the registry is still too small to say anything the cold start does not.

    ``records``: `records_frame()` when the caller has just read it (`dedupe` does), so that
    a million persons' records are not read twice; ``candidates``: their blocked record
    pairs (``dedupe_candidates`` of the prepared records), so that they are not blocked twice.
    """
    frame, owners = records_frame() if records is None else records
    if len(frame) < MIN_RECORDS_TO_FIT:
        return None
    fitted = fit(frame, config=config, candidates=candidates)
    # The matching pairs EM found are what the registry's own estimate of m rests on.
    n_pairs = max(fitted.matches_per_record * len(frame), 1.0)
    model = _with_prior(fitted, synthetic_model(), n_pairs)
    patterns = reviewed_patterns(config=config)
    model = with_labels(model, patterns, model_pairs=n_pairs + PRIOR_PAIRS, config=config)
    return LinkageParameters.objects.create(
        fitted_by=actor,
        source="registry",
        n_records=len(frame),
        parameters={
            **model_to_dict(model),
            "persons": len(set(owners.tolist())),
            "labels": len(patterns),
        },
    )


def reviewed_patterns(*, config: LinkageConfig = DEFAULT_CONFIG) -> np.ndarray:
    """The agreement pattern of every pair a reviewer answered "misma persona": the records
    each of the two persons had of its own, compared as the import compares them."""
    pairs = list(
        DuplicateCandidate.objects.filter(decision=Decision.SAME)
        .order_by("pk")
        .values_list("person_a_id", "person_b_id")
    )
    if not pairs:
        return np.empty((0, 0), dtype=np.int64)
    frame, owners = person_descriptions({pk for pair in pairs for pk in pair})
    position: dict[int, list[int]] = {}
    for index, owner in enumerate(owners.tolist()):
        position.setdefault(owner, []).append(index)
    rows, label, side = [], [], []
    for number, (a, b) in enumerate(pairs):
        for which, pk in enumerate((a, b)):
            rows += position.get(pk, [])
            label += [number] * len(position.get(pk, []))
            side += [which] * len(position.get(pk, []))
    return labelled_patterns(frame.iloc[rows], np.asarray(label), np.asarray(side), config)
