"""Time and peak memory of re-examining the whole registry (`manage.py dedupe`), beside Splink.

Each phase runs in its own process, so that its peak resident memory (VmHWM) is its own:

- ``dedupe``: `review.dedupe.registry_dedupe(dry_run=True)`, what `manage.py dedupe
  --dry-run` runs - every record of every active person read from the database, blocked,
  compared person against person and clustered; nothing is written;
- ``refit``: `linkage_model_refit`, the extra step of a real run (EM on every record), in a
  transaction that is rolled back, so the stored model does not change;
- ``run``: a real run, `registry_dedupe(dry_run=False)` - the refit, then the comparison of
  persons on the refitted model, the merges and the queued pairs - in a transaction that is
  rolled back, so the registry and its model are as they were;
- ``splink``: Splink (DuckDB, EM-trained, `benchmarks.linkage.splink_model`) deduplicating the
  same records, exported once from the database (`records_frame`) to a Parquet file; its time
  includes its data preparation, training, prediction and clustering, not the export.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/link_bench \\
        python -m benchmarks.registry_dedupe --persons 1000000

With ``--persons`` the registry (persons and identity records) is generated and loaded with
COPY as `benchmarks.roster_linking` does (same seed, same registry) unless the database already
holds exactly that many; without it, whatever the database holds is measured. The database name
must contain "bench".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    import django

    django.setup()
    from django.db import connection

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("refusing: the database name must contain 'bench'")


def _peak_mb() -> float:
    """Peak resident memory of this process (VmHWM starts afresh at exec)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _phase_dedupe(_: argparse.Namespace) -> dict[str, object]:
    from review.dedupe import registry_dedupe

    started = time.perf_counter()
    report = registry_dedupe(dry_run=True)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(),
        "persons": report.persons,
        "records": report.records,
        "pairs_kept": report.candidate_pairs,
        "auto_link_pairs": report.auto_link_pairs,
        "review_pairs": report.review_pairs,
        "groups": len(report.groups),
        "persons_to_merge": report.persons_to_merge,
        "split_suspects": report.split_suspects,
    }


def _phase_refit(_: argparse.Namespace) -> dict[str, object]:
    from django.db import transaction

    from participants.linkage_store import linkage_model_refit
    from participants.matching import linkage_config

    started = time.perf_counter()
    with transaction.atomic():
        stored = linkage_model_refit(config=linkage_config())
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "records": None if stored is None else stored.n_records,
    }


def _phase_run(_: argparse.Namespace) -> dict[str, object]:
    from django.db import transaction

    from review.dedupe import registry_dedupe

    started = time.perf_counter()
    with transaction.atomic():
        report = registry_dedupe(dry_run=False)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "persons": report.persons,
        "records": report.records,
        "pairs_kept": report.candidate_pairs,
        "merged": report.merged,
        "queued": report.queued,
        "model": report.model_label,
    }


def _phase_export(args: argparse.Namespace) -> dict[str, object]:
    from participants.record_frames.descriptions import records_frame

    started = time.perf_counter()
    records, owners = records_frame()
    records.assign(person=owners).to_parquet(args.records_file)
    return {"seconds": time.perf_counter() - started, "records": len(records)}


def _phase_splink(args: argparse.Namespace) -> dict[str, object]:
    import pandas as pd

    from benchmarks.linkage.splink_model import run_splink
    from participants.matching import linkage_config

    records = pd.read_parquet(args.records_file).drop(columns=["person"])
    config = linkage_config()
    started = time.perf_counter()
    run = run_splink(records, config, threshold_weight=config.upper_threshold)
    return {
        "seconds": time.perf_counter() - started,
        "train_seconds": run.train_seconds,
        "predict_seconds": run.predict_seconds,
        "peak_mb": _peak_mb(),
        "records": len(records),
        "pairs_at_threshold": len(run.pairs),
    }


PHASES = {
    "dedupe": _phase_dedupe,
    "refit": _phase_refit,
    "run": _phase_run,
    "export": _phase_export,
    "splink": _phase_splink,
}


def _child(phase: str, args: argparse.Namespace, timeout: float) -> dict[str, object]:
    command = [sys.executable, "-m", "benchmarks.registry_dedupe", "--phase", phase]
    command += ["--records-file", args.records_file]
    started = time.perf_counter()
    try:
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"phase": phase, "error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0:
        return {"phase": phase, "error": done.stderr.strip().splitlines()[-1:]}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = time.perf_counter() - started
    return result


def _load(persons: int, seed: int) -> None:
    from benchmarks import roster_linking
    from participants.models import IdentityRecord, Person

    people = roster_linking._registry(persons, seed)
    records = roster_linking._identity_records(people, seed)
    if Person.objects.count() == persons and IdentityRecord.objects.count() == len(records):
        return
    print(f"loaded persons with COPY in {roster_linking._load(people):.1f} s", flush=True)
    print(f"loaded identity records with COPY in {roster_linking._load_records(records):.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, help="generate and load this many persons first")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--no-refit", action="store_true")
    parser.add_argument("--no-run", action="store_true", help="skip the real (rolled-back) run")
    parser.add_argument(
        "--timeout", type=float, default=1200, help="seconds each phase may take (default 1200)"
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--records-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup()
    if args.phase:
        print(json.dumps({"phase": args.phase, **PHASES[args.phase](args)}))
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.persons:
        _load(args.persons, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        args.records_file = os.path.join(folder, "records.parquet")
        results = {"dedupe": _child("dedupe", args, args.timeout)}
        print(json.dumps(results["dedupe"]), flush=True)
        if not args.no_refit:
            results["refit"] = _child("refit", args, args.timeout)
            print(json.dumps(results["refit"]), flush=True)
        if not args.no_run:
            results["run"] = _child("run", args, args.timeout)
            print(json.dumps(results["run"]), flush=True)
        if not args.no_splink:
            results["export"] = _child("export", args, args.timeout)
            results["splink"] = _child("splink", args, args.timeout)
            print(json.dumps(results["splink"]), flush=True)
    dedupe, splink = results["dedupe"], results.get("splink", {})
    if "seconds" in dedupe:
        print(
            f"dedupe --dry-run: {dedupe['persons']:,} persons, {dedupe['records']:,} distinct "
            f"records: {dedupe['seconds']:.1f} s, peak {dedupe['peak_mb'] / 1024:.2f} GB"
        )
    if "seconds" in results.get("refit", {}):
        refit = results["refit"]
        print(f"model refit: {refit['seconds']:.1f} s, peak {refit['peak_mb'] / 1024:.2f} GB")
    if "seconds" in results.get("run", {}):
        run = results["run"]
        print(
            f"real run (refit, persons compared, {run['merged']} merged, {run['queued']} "
            f"queued, rolled back): {run['seconds']:.1f} s, peak {run['peak_mb'] / 1024:.2f} GB"
        )
    if "seconds" in splink:
        print(
            f"Splink on the same {splink['records']:,} records: {splink['seconds']:.1f} s, "
            f"peak {splink['peak_mb'] / 1024:.2f} GB"
        )
        if "seconds" in dedupe:
            print(f"dedupe / Splink wall time: {dedupe['seconds'] / splink['seconds']:.2f}")
        if "seconds" in results.get("run", {}):
            ratio = results["run"]["seconds"] / splink["seconds"]
            print(f"real run / Splink wall time: {ratio:.2f}")
    for name, result in results.items():
        if "error" in result:
            print(f"{name}: {result['error']}")


if __name__ == "__main__":
    main()
