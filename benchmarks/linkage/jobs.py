"""Measured jobs, each run in its own process so that peak memory is its own.

``python -m benchmarks.linkage.jobs KIND --size N [--seed S]`` prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

import numpy as np
import psutil

from participants.linkage import LinkageConfig, dedupe, fit, link, prepare

from .data import pair_codes, scores, synthetic_dedupe_data, synthetic_link_data, true_pair_codes


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def _peak_mb() -> float:
    """Peak RSS of this process. VmHWM starts afresh at exec, unlike ru_maxrss, which a
    child inherits from the benchmark process that started it."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def engine_dedupe(size: int, seed: int, config: LinkageConfig) -> dict[str, object]:
    records = synthetic_dedupe_data(size, seed)
    truth = true_pair_codes(records["person_id"])
    records = records.drop(columns="person_id")
    base = _rss_mb()
    start = time.perf_counter()
    result = dedupe(records, config=config)
    seconds = time.perf_counter() - start
    linked = result.pairs[result.pairs["decision"] == "link"]
    quality = scores(pair_codes(linked["left_id"], linked["right_id"]), truth)
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "input_mb": base,
        "candidates": result.n_candidates,
        **quality,
    }


def splink_dedupe(size: int, seed: int, config: LinkageConfig) -> dict[str, object]:
    from .splink_model import run_splink

    records = synthetic_dedupe_data(size, seed)
    truth = true_pair_codes(records["person_id"])
    records = records.drop(columns="person_id")
    base = _rss_mb()
    start = time.perf_counter()
    run = run_splink(records, config, threshold_weight=config.upper_threshold)
    seconds = time.perf_counter() - start
    quality = scores(pair_codes(run.pairs["left_id"], run.pairs["right_id"]), truth)
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "input_mb": base,
        "candidates": None,
        **quality,
    }


def engine_link(
    size: int, seed: int, config: LinkageConfig, roster_size: int = 1000
) -> dict[str, object]:
    registry, roster = synthetic_link_data(size, roster_size, seed)
    known = set(registry["person_id"].tolist())
    start = time.perf_counter()
    prepared = prepare(registry.drop(columns="person_id"), config)
    prepare_seconds = time.perf_counter() - start
    # The registry is deduplicated, so the model is fitted on another roster linked to it.
    _, training_roster = synthetic_link_data(size, roster_size, seed + 1)
    start = time.perf_counter()
    model = fit(training_roster.drop(columns="person_id"), registry=prepared, config=config)
    fit_seconds = time.perf_counter() - start
    new = roster.drop(columns="person_id")
    timings, out = [], None
    for _ in range(5):
        start = time.perf_counter()
        out = link(new, prepared, config=config, model=model)
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    link(new, prepared, config=config)
    unfitted_seconds = time.perf_counter() - start
    person_of_registry = registry["person_id"]
    person_of_roster = roster["person_id"]
    auto = out[out["decision"] == "link"]
    correct = (
        person_of_registry.reindex(auto["registry_id"]).to_numpy()
        == person_of_roster.reindex(auto["new_id"]).to_numpy()
    )
    rows_known = int(person_of_roster.isin(known).sum())
    linked_rows = auto["new_id"].nunique()
    review_rows = out.loc[out["decision"] == "review", "new_id"].nunique()
    return {
        "prepare_seconds": prepare_seconds,
        "fit_seconds": fit_seconds,
        "link_seconds": float(np.median(timings)),
        "link_seconds_all": timings,
        "link_unfitted_seconds": unfitted_seconds,
        "peak_mb": _peak_mb(),
        "roster_rows": len(roster),
        "rows_known": rows_known,
        "rows_auto_linked": int(linked_rows),
        "rows_in_review": int(review_rows),
        "auto_link_precision": float(correct.mean()) if len(correct) else 1.0,
    }


JOBS = {"engine_dedupe": engine_dedupe, "splink_dedupe": splink_dedupe, "engine_link": engine_link}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=sorted(JOBS))
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    result = JOBS[args.kind](args.size, args.seed, LinkageConfig())
    print(json.dumps({"kind": args.kind, "size": args.size, **result}))


if __name__ == "__main__":
    main()
