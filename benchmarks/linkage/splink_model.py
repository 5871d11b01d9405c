"""A comparable Splink model (DuckDB backend, EM-trained) on the engine's prepared columns.

Splink gets the same normalised names, phonetic keys and blocking keys as the engine so the
comparison is about the model and the implementation, not about data cleaning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from participants.linkage import LinkageConfig, prepare

SPLINK_COLUMNS = (
    "giv",
    "giv1",
    "giv1_ph",
    "giv_ph",
    "pat",
    "mat",
    "pat_ph",
    "mat_ph",
    "sur_lo",
    "sur_hi",
    "dni_norm",
    "dob",
    "sex_fm",
    "email_norm",
    "phone9",
)


# Canonical column -> its normalised column in the Splink input.
CANONICAL_TO_SPLINK = {
    "given_names": "giv",
    "paternal_surname": "pat",
    "maternal_surname": "mat",
    "dni": "dni_norm",
    "birth_date": "dob",
    "sex": "sex_fm",
    "email": "email_norm",
    "phone": "phone9",
}


@dataclass
class SplinkRun:
    pairs: pd.DataFrame  # left_id, right_id, match_weight (at or above the threshold)
    clusters: pd.Series  # record id -> cluster id
    train_seconds: float
    predict_seconds: float


def splink_input(records: pd.DataFrame, config: LinkageConfig) -> pd.DataFrame:
    prepared = prepare(records, config)
    out = pd.DataFrame({"unique_id": prepared.index.to_numpy()})
    out["giv"] = prepared["giv"].to_numpy()
    out["giv1"] = prepared["giv1"].to_numpy()
    out["giv1_ph"] = prepared["giv1_ph"].to_numpy()
    out["giv_ph"] = prepared["giv_rest"].to_numpy()
    for column in ("pat", "mat", "pat_ph", "mat_ph", "dni_norm", "dob", "sex_fm"):
        out[column] = prepared[column].to_numpy()
    out["email_norm"] = prepared["email_norm"].to_numpy()
    out["phone9"] = prepared["phone9"].to_numpy()
    pat_ph, mat_ph = out["pat_ph"].to_numpy(object), out["mat_ph"].to_numpy(object)
    out["sur_lo"] = np.where(pat_ph <= mat_ph, pat_ph, mat_ph)
    out["sur_hi"] = np.where(pat_ph <= mat_ph, mat_ph, pat_ph)
    for name in config.extra_fields:
        out[name] = prepared[name].to_numpy()
    # Splink treats NULL as "not comparable", the engine's ''.
    return out.replace("", None)


def run_splink(
    records: pd.DataFrame,
    config: LinkageConfig,
    *,
    threshold_weight: float,
    seed: int = 1,
    u_pairs: float | None = None,
) -> SplinkRun:
    import time

    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    data = splink_input(records, config)
    comparisons = [
        cl.JaroWinklerAtThresholds("giv", [0.92, 0.8]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("pat", [0.9]).configure(term_frequency_adjustments=True),
        cl.JaroWinklerAtThresholds("mat", [0.9]).configure(term_frequency_adjustments=True),
        cl.DamerauLevenshteinAtThresholds("dni_norm", [1]),
        cl.LevenshteinAtThresholds("dob", [1, 2]),
        cl.ExactMatch("sex_fm"),
        cl.ExactMatch("email_norm"),
        cl.ExactMatch("phone9"),
    ]
    comparisons += [cl.JaroWinklerAtThresholds(name, [0.9]) for name in config.extra_fields]
    blocking = [
        block_on("dni_norm"),
        block_on("pat_ph", "mat_ph", "giv1_ph"),
        block_on("sur_lo", "sur_hi", "giv1_ph"),
        block_on("pat_ph", "giv1_ph", "dob"),
        block_on("sur_lo", "sur_hi", "dob"),
        block_on("giv1_ph", "dob"),
        block_on("pat_ph", "giv_ph"),
        block_on("email_norm"),
        block_on("phone9"),
        # One wrong digit leaves either half of the DNI intact.
        block_on("substr(dni_norm, 1, 4)", "giv1_ph"),
        block_on("substr(dni_norm, 5, 4)", "giv1_ph"),
    ]
    blocking += [
        block_on(*(CANONICAL_TO_SPLINK.get(c, c) for c in cols)) for cols in config.extra_blocks
    ]
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    db_api = DuckDBAPI()
    start = time.perf_counter()
    linker = Linker(db_api.register(data), settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("dni_norm", "giv1_ph")], recall=0.8
    )
    # As many random pairs as the engine samples for its u probabilities.
    u_pairs = u_pairs or float(min(max(config.u_sample_pairs, 50 * len(data)), 5e6))
    linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dni_norm"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("pat_ph", "giv1_ph", "dob")
    )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_weight=threshold_weight)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_weight=threshold_weight
    )
    pairs = predictions.as_pandas_dataframe()[["unique_id_l", "unique_id_r", "match_weight"]]
    cluster_frame = clusters.as_pandas_dataframe()[["unique_id", "cluster_id"]]
    done = time.perf_counter()
    pairs = pairs.rename(columns={"unique_id_l": "left_id", "unique_id_r": "right_id"})
    left, right = pairs["left_id"].to_numpy(), pairs["right_id"].to_numpy()
    pairs["left_id"], pairs["right_id"] = np.minimum(left, right), np.maximum(left, right)
    cluster_series = cluster_frame.set_index("unique_id")["cluster_id"]
    return SplinkRun(pairs, cluster_series, trained - start, done - trained)
