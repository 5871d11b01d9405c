"""Command line of the registry-quality benchmark (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from .database import DatabaseError, check_database_url
from .engine import EngineRun, engine_runs, setup_django
from .generator import JUNK, PERSON, Dataset, build_dataset, write_dataset
from .names import REALISTIC, SETTINGS, distribution
from .reading import read_layouts, reading_table
from .report import (
    ANSWERED_F1,
    ANSWERED_PERSONS_PCT,
    AUTO_PRECISION,
    AUTO_RECALL,
    QUEUE_SHARE_PCT,
    REVERSE_PERSONS_PCT,
    Measure,
    measure,
    measure_table,
    stage_table,
)
from .runs import RegistryRun, answer_rounds, dedupe_and_score, import_and_score
from .scoring import PairScores, read_labels

DEFAULT_SEED = 20261201


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.registry_quality",
        description="How well the registry counts unique people, measured on the path users "
        "take: labelled rosters -> import_rosters -> the rows each person became -> scores.",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--setting",
        choices=sorted(SETTINGS),
        default=REALISTIC,
        help="names: Peru's frequencies (realistic, default) or the namesakes stress test",
    )
    parser.add_argument("--persons", type=int, default=3100, help="real people (default 3100)")
    parser.add_argument("--rosters", type=int, default=100, help="partner rosters (default 100)")
    parser.add_argument(
        "--database-url",
        help="postgres://USER@HOST:PORT/NAME, dropped and re-created (NAME and NAME_reverse); "
        "default: new SQLite files in a temporary folder",
    )
    parser.add_argument("--review-rounds", type=int, default=3)
    parser.add_argument("--dedupe", action="store_true", help="also run manage.py dedupe")
    parser.add_argument("--skip-reverse", action="store_true", help="no reverse-order import")
    parser.add_argument("--skip-engine", action="store_true", help="no in-memory engine run")
    parser.add_argument("--skip-febrl", action="store_true", help="no FEBRL 3 check")
    parser.add_argument("--json", type=Path, help="write every number to this JSON file")
    parser.add_argument("--workdir", type=Path, help="folder for rosters, exports, databases")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--verbose", action="store_true", help="echo each manage.py command")
    return parser.parse_args(argv)


FEBRL3_F1 = 0.99


def _febrl3() -> Measure:
    """The engine on the public FEBRL 3 set, so a change for rosters cannot cost it."""
    from benchmarks.linkage.quality import febrl_rows

    row = next(row for row in febrl_rows(with_splink=False) if row["data"] == "FEBRL3")
    return measure(
        "FEBRL 3 (engine): F1", float(row["f1"]), f">= {FEBRL3_F1}", lambda v: v >= FEBRL3_F1
    )


def _measures(forward: RegistryRun, reverse: RegistryRun | None) -> list[Measure]:
    auto = forward.auto.scores if forward.auto else None
    answered = forward.answered.scores if forward.answered else None
    final = answered or auto
    why = "" if forward.queue_answered else "queue not answered"
    queue_pct = (
        100.0 * forward.queue_pairs / forward.auto.exported
        if forward.auto and forward.auto.exported and forward.queue_pairs is not None
        else None
    )
    reverse_pct = None
    if reverse and reverse.auto and auto:
        reverse_pct = (
            100.0
            * (reverse.auto.scores.predicted_persons - auto.predicted_persons)
            / max(auto.predicted_persons, 1)
        )
    return [
        measure(
            "automatic links: pairwise precision",
            auto and auto.precision,
            f">= {AUTO_PRECISION}",
            lambda v: v >= AUTO_PRECISION,
        ),
        measure(
            "automatic links: pairwise recall",
            auto and auto.recall,
            f">= {AUTO_RECALL}",
            lambda v: v >= AUTO_RECALL,
        ),
        measure(
            "review queue: open pairs / exported rows",
            queue_pct,
            f"<= {QUEUE_SHARE_PCT:g} %",
            lambda v: v <= QUEUE_SHARE_PCT,
            fmt="{:.2f} %",
        ),
        measure(
            "queue answered: pairwise F1",
            final and final.f1,
            f">= {ANSWERED_F1}",
            lambda v: v >= ANSWERED_F1,
            applies=forward.queue_answered,
            note=why,
        ),
        measure(
            "queue answered: unique persons vs truth",
            final and final.persons_difference_pct,
            f"within +/-{ANSWERED_PERSONS_PCT:g} %",
            lambda v: abs(v) <= ANSWERED_PERSONS_PCT,
            fmt="{:+.2f} %",
            applies=forward.queue_answered,
            note=why,
        ),
        measure(
            "reverse manifest order: unique persons change",
            reverse_pct,
            f"within +/-{REVERSE_PERSONS_PCT:g} %",
            lambda v: abs(v) <= REVERSE_PERSONS_PCT,
            fmt="{:+.2f} %",
            note="--skip-reverse" if reverse is None else "",
        ),
    ]


def _stages(
    forward: RegistryRun, reverse: RegistryRun | None, engine: list[EngineRun]
) -> list[tuple[str, PairScores]]:
    stages: list[tuple[str, PairScores]] = []
    if forward.auto:
        stages.append(("import (automatic links only)", forward.auto.scores))
    for done in forward.rounds:
        keys = PairScores.__dataclass_fields__
        scores = PairScores(**{key: done[key] for key in keys})
        stages.append((f"after review round {done['round']} ({done['open_pairs']} pairs)", scores))
    if forward.deduped:
        stages.append(("after manage.py dedupe", forward.deduped.scores))
    if reverse and reverse.auto:
        stages.append(("reverse order import (automatic)", reverse.auto.scores))
    stages += [(f"in memory: {run.name}", run.scores) for run in engine if run.scores]
    return stages


def _print_names(dataset: Dataset) -> dict[str, Any]:
    """The checks of the drawn names, on the people who appear in the rosters."""
    listed = {row.person_id for roster in dataset.rosters for row in roster.rows}
    names = distribution(
        [(p.given, p.paternal, p.maternal, p.sex) for p in dataset.persons if p.pid in listed]
    )
    given = "; ".join(
        ("women " if sex == "F" else "men ") + ", ".join(f"{n} {pct:.1f} %" for n, pct in top[:3])
        for sex, top in names["top_given"].items()
    )
    print(
        f"Names ({dataset.setting}): Quispe {names['quispe_paternal_pct']:.1f} % of people "
        f"(paternal; {names['quispe_any_pct']:.1f} % in either surname), top 20 paternal "
        f"surnames {names['top20_paternal_pct']:.1f} %, {names['distinct_paternal']:,} distinct; "
        f"{given}; two given names {names['two_given_names_pct']:.0f} %; "
        f"{names['namesakes_pct']:.1f} % share their full name with another person "
        f"(largest group {names['largest_namesake_group']})"
    )
    return names


def _print_data(dataset: Any, labels: dict[tuple[str, int], Any], work: Path) -> dict[str, Any]:
    kinds = Counter(kind for _, kind in labels.values())
    layouts = Counter(roster.layout.key for roster in dataset.rosters)
    people = {person for person, kind in labels.values() if kind == PERSON}
    data = {
        "setting": dataset.setting,
        "rosters": len(dataset.rosters),
        "rows": len(labels),
        "person_rows": kinds[PERSON],
        "junk_rows": kinds[JUNK],
        "true_persons": len(people),
        "layouts": dict(layouts),
        "years": f"{dataset.rosters[0].start_date.year}-{dataset.rosters[-1].start_date.year}",
        "folder": str(work),
    }
    print(f"Setting: {dataset.setting}")
    print(
        f"Rosters: {data['rosters']} files ({', '.join(f'{k} {v}' for k, v in layouts.items())}),"
        f" {data['years']}; {data['rows']:,} rows ({data['person_rows']:,} of "
        f"{data['true_persons']:,} real people, {data['junk_rows']} junk lines); in {work}"
    )
    data["names"] = _print_names(dataset)
    return data


def _print_run(run: RegistryRun) -> None:
    print(f"\n[{run.label}] {run.database_url}")
    summary = [line for line in run.import_output.splitlines() if not line.startswith("  !")]
    for line in summary[:5]:
        print(f"  import_rosters: {line}")
    if run.auto:
        print(
            f"  exported {run.auto.exported:,} rows; rejected {run.auto.rejected_person_rows} "
            f"person rows and {run.auto.rejected_junk_rows} junk rows; "
            f"{run.auto.junk_imported} junk rows imported; {run.auto.unlabelled} unlabelled; "
            f"outcomes {dict(run.auto.outcomes)}"
        )
    for done in run.rounds:
        print(
            f"  review round {done['round']}: {done['open_pairs']} open pairs, answered "
            f"{done['answered_same']} same / {done['answered_different']} different "
            f"({done['unanswered']} unanswered); {' '.join(done['review_import_output'])}"
        )
        for issue in done["review_import_issues"][:3]:
            print(f"      {issue[:160]}")
    for note in run.notes:
        print(f"  note: {note}")
    print("  times: " + ", ".join(f"{k} {v:.1f} s" for k, v in run.timings.items()))


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    if args.database_url:
        try:
            check_database_url(args.database_url)
        except DatabaseError as error:
            raise SystemExit(f"error: {error}") from error
    started = time.perf_counter()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="registry_quality_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        dataset = build_dataset(
            persons=args.persons, rosters=args.rosters, seed=args.seed, setting=args.setting
        )
        files = write_dataset(dataset, work / "rosters")
        labels = read_labels(files.labels)
        generated = time.perf_counter() - started
        data = _print_data(dataset, labels, work)
        print(f"generated in {generated:.1f} s")
        common = {"labels": labels, "work": work, "database_url": args.database_url}
        forward, session = import_and_score(
            label="forward", manifest=files.manifest, verbose=args.verbose, **common
        )
        answer_rounds(session, rounds=args.review_rounds)
        if args.dedupe:
            dedupe_and_score(session)
        _print_run(forward)
        reverse = None
        if not args.skip_reverse:
            reverse, _ = import_and_score(
                label="reverse",
                manifest=files.reverse_manifest,
                suffix="_reverse",
                verbose=args.verbose,
                **common,
            )
            _print_run(reverse)
        setup_django(forward.database_url)
        readings = read_layouts(dataset, files.folder)
        print("\nWhat the import reads, by layout (of the rows that wrote each field):")
        print(reading_table(readings))
        engine: list[EngineRun] = []
        engine_check: dict[str, int] = {}
        if not args.skip_engine:
            engine_started = time.perf_counter()
            staged, engine = engine_runs(
                folder=files.folder,
                files=[roster.file_name for roster in dataset.rosters],
                labels=labels,
                database_url=forward.database_url,
            )
            engine_check = {"staged_rows": len(staged.truth), "rejected": staged.rejected}
            engine_check["unlabelled"] = staged.unlabelled
            print(
                f"\n[in memory] {len(staged.truth):,} staged rows ({staged.rejected} rejected, "
                f"{staged.unlabelled} not in the labels) in "
                f"{time.perf_counter() - engine_started:.1f} s"
            )
            for run in engine:
                print(
                    f"  {run.name}: dedupe {run.seconds:.1f} s, {run.review_pairs} review pairs"
                    + (f"; {run.note}" if run.note else "")
                )
        print("\nPairwise scores over exported roster rows (persons = distinct codes):")
        print(stage_table(_stages(forward, reverse, engine)))
        measures = _measures(forward, reverse)
        if not args.skip_febrl:
            measures.append(_febrl3())
        print("\nTargets:")
        print(measure_table(measures))
        print(
            "\nAt scale (separate commands, minutes each): a 1,000-row roster against 1M persons"
            " / 3M records, and dedupe against Splink:\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/link_bench "
            "python -m benchmarks.roster_linking --persons 1000000 --roster 1000"
        )
        total = time.perf_counter() - started
        print(f"\nsetting {dataset.setting}; total {total:.0f} s")
        if args.json:
            results = {
                "parameters": {
                    k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                },
                "data": data,
                "reading": {r.layout: r.summary() for r in readings},
                "forward": forward.summary(),
                "reverse": reverse.summary() if reverse else None,
                "engine": [run.summary() for run in engine],
                "engine_check": engine_check,
                "measures": [
                    {"measure": m.name, "value": m.value, "target": m.target, "result": m.verdict}
                    for m in measures
                ],
                "total_seconds": total,
            }
            args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
            print(f"numbers written to {args.json}")
    except DatabaseError as error:
        raise SystemExit(f"error: {error}") from error
    finally:
        if not (args.keep or args.workdir):
            shutil.rmtree(work, ignore_errors=True)
