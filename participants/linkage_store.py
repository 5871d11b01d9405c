"""Which linkage model scores pairs: fitted on the registry and stored, or a default one.

Estimating m/u probabilities on a single roster's handful of candidate pairs would make every
import score differently. Instead the model is fitted on a whole population of records and
stored (`LinkageParameters`): on the registry itself once it is large enough
(`manage.py dedupe` refits it), and until then on a labelled synthetic population of messy
Peruvian rosters that the project generates itself (deterministic, so the same everywhere).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from participants.linkage import DEFAULT_CONFIG, LinkageConfig, LinkageModel, fit
from participants.models import LinkageParameters
from participants.registry_frames import persons_frame

# Below this many persons the registry says too little about how people differ.
MIN_RECORDS_TO_FIT = 2_000
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


def linkage_model_current(config: LinkageConfig = DEFAULT_CONFIG) -> LinkageModel:
    features = synthetic_model_features(config)
    stored = LinkageParameters.objects.order_by("-created_at", "-id").first()
    if stored is not None:
        model = model_from_dict(stored.parameters)
        if model.features == features:
            return model
    model = synthetic_model()
    if model.features != features:
        raise ValueError("This configuration compares other features: refit the model.")
    return model


def synthetic_model_features(config: LinkageConfig) -> tuple[str, ...]:
    # A stored model fitted with other comparison features (an older engine) is not used.
    from participants.linkage.comparing import feature_levels

    return tuple(feature_levels(config))


@transaction.atomic
def linkage_model_refit(
    *, actor: AbstractBaseUser | None = None, config: LinkageConfig = DEFAULT_CONFIG
) -> LinkageParameters | None:
    """Fit the model on the active registry and store it; None when the registry is small."""
    records = persons_frame()
    if len(records) < MIN_RECORDS_TO_FIT:
        return None
    model = fit(records, config=config)
    return LinkageParameters.objects.create(
        fitted_by=actor,
        source="registry",
        n_records=len(records),
        parameters=model_to_dict(model),
    )
