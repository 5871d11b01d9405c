"""Benchmark of the linkage engine (prints tables; not a test).

    python -m benchmarks.linkage [--quick] [--sizes 10000,100000,1000000] [--no-splink]

Run from the repository root. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time

from .quality import febrl_rows, synthetic_rows


def _fmt(value: object, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(rows: list[dict[str, object]], columns: list[tuple[str, str, int]]) -> str:
    header = [title for _, title, _ in columns]
    body = [[_fmt(row.get(key), digits) for key, _, digits in columns] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(header)
    ]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in body]
    return "\n".join(lines)


QUALITY_COLUMNS = [
    ("data", "data", 0),
    ("system", "system", 0),
    ("precision", "precision", 4),
    ("recall", "recall", 4),
    ("f1", "F1", 4),
    ("true_in_review", "true pairs in review", 0),
    ("pair_completeness", "pair completeness", 4),
    ("reduction_ratio", "reduction ratio", 5),
    ("seconds", "seconds", 1),
]


def _job(kind: str, size: int, seed: int) -> dict[str, object]:
    """Run one measured job in a child process (own peak memory)."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.linkage.jobs",
        kind,
        "--size",
        str(size),
        "--seed",
        str(seed),
    ]
    # The command is built from constants and integers only.
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"kind": kind, "size": size, "error": (done.stderr or done.stdout)[-400:]}
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    parser.add_argument("--sizes", default=None, help="dedupe sizes, e.g. 10000,100000,1000000")
    parser.add_argument(
        "--link-registry", type=int, default=None, help="registry size for the link timing"
    )
    parser.add_argument("--synthetic-size", type=int, default=None)
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", default=None, help="also write all results to this file")
    args = parser.parse_args()
    sizes = [
        int(s)
        for s in (args.sizes or ("2000,10000" if args.quick else "10000,100000,1000000")).split(",")
    ]
    link_registry = args.link_registry or (20_000 if args.quick else 1_000_000)
    synthetic_size = args.synthetic_size or (3_000 if args.quick else 20_000)
    with_splink = not args.no_splink
    started = time.perf_counter()
    results: dict[str, object] = {}

    print("== 1. FEBRL quality (auto-links at the upper threshold) ==")
    rows = febrl_rows(with_splink=with_splink and not args.quick)
    results["febrl"] = rows
    print(_table(rows, QUALITY_COLUMNS), flush=True)

    print(f"\n== 2. Synthetic Peruvian rosters ({synthetic_size:,} records, seed {args.seed}) ==")
    rows = synthetic_rows(synthetic_size, args.seed, with_splink)
    results["synthetic"] = rows
    print(_table(rows, QUALITY_COLUMNS), flush=True)

    print(f"\n== 3. Linking a 1,000-row roster against a prepared registry of {link_registry:,} ==")
    link_row = _job("engine_link", link_registry, args.seed)
    results["link"] = link_row
    print(
        _table(
            [link_row],
            [
                ("size", "registry", 0),
                ("prepare_seconds", "prepare s", 2),
                ("fit_seconds", "fit s (other roster)", 2),
                ("link_seconds", "link s (median of 5)", 2),
                ("link_unfitted_seconds", "link s, no model", 2),
                ("rows_known", "rows known", 0),
                ("rows_auto_linked", "rows auto-linked", 0),
                ("rows_in_review", "rows in review", 0),
                ("auto_link_precision", "auto-link precision", 4),
                ("peak_mb", "peak MB", 0),
            ],
        ),
        flush=True,
    )
    if "error" in link_row:
        print("error:", link_row["error"])

    print("\n== 4. Dedupe wall time and peak memory (child process per run) ==")
    rows = []
    for size in sizes:
        rows.append(_job("engine_dedupe", size, args.seed))
        if with_splink:
            rows.append(_job("splink_dedupe", size, args.seed))
        for row in rows[-2:]:
            row.setdefault("system", "engine" if row.get("kind") == "engine_dedupe" else "splink")
    results["dedupe"] = rows
    print(
        _table(
            rows,
            [
                ("size", "records", 0),
                ("system", "system", 0),
                ("seconds", "wall s", 1),
                ("peak_mb", "peak MB", 0),
                ("input_mb", "RSS before MB", 0),
                ("precision", "precision", 4),
                ("recall", "recall", 4),
                ("f1", "F1", 4),
                ("error", "error", 0),
            ],
        )
    )
    _growth(rows, sizes)
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(results, handle, indent=2, default=str)


def _growth(rows: list[dict[str, object]], sizes: list[int]) -> None:
    print("\ngrowth between consecutive sizes (wall time ratio, peak memory ratio):")
    for system in ("engine", "splink"):
        mine = {r["size"]: r for r in rows if r.get("system") == system and "seconds" in r}
        for small, large in itertools.pairwise(sizes):
            if small in mine and large in mine:
                t = mine[large]["seconds"] / mine[small]["seconds"]  # type: ignore[operator]
                m = mine[large]["peak_mb"] / mine[small]["peak_mb"]  # type: ignore[operator]
                print(
                    f"  {system:7s} {small:>9,} -> {large:>9,}: time x{t:.1f}, peak memory x{m:.1f}"
                )
    engine = {r["size"]: r for r in rows if r.get("system") == "engine" and "seconds" in r}
    splink = {r["size"]: r for r in rows if r.get("system") == "splink" and "seconds" in r}
    for size in sizes:
        if size in engine and size in splink:
            ratio = engine[size]["seconds"] / splink[size]["seconds"]  # type: ignore[operator]
            print(f"  engine / splink wall time at {size:,}: {ratio:.2f}")


if __name__ == "__main__":
    main()
