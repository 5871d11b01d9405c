"""The printed tables: each stage's scores, and each measure against its target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .scoring import PairScores

# Targets on the realistic setting (see the package docstring): a queue one person can work
# through for a back-fill, and a count within 1 % once it is answered.
AUTO_PRECISION = 0.995
AUTO_RECALL = 0.85
ANSWERED_F1 = 0.98
ANSWERED_PERSONS_PCT = 1.0
QUEUE_SHARE_PCT = 5.0
REVERSE_PERSONS_PCT = 0.5


@dataclass(frozen=True)
class Measure:
    name: str
    value: float | None
    shown: str
    target: str
    met: bool | None  # None: not measured, or measured without its precondition
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.met is None:
            return "n/a" + (f" ({self.note})" if self.note else "")
        return "met" if self.met else "NOT MET"


def measure(
    name: str,
    value: float | None,
    target: str,
    test: Callable[[float], bool],
    *,
    fmt: str = "{:.4f}",
    applies: bool = True,
    note: str = "",
) -> Measure:
    if value is None:
        return Measure(name, None, "-", target, None, note or "not measured")
    return Measure(name, value, fmt.format(value), target, test(value) if applies else None, note)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(lines)


def stage_table(stages: list[tuple[str, PairScores]]) -> str:
    header = [
        "stage",
        "rows",
        "precision",
        "recall",
        "F1",
        "persons",
        "true",
        "diff %",
        "merged",
        "split",
    ]
    rows = [
        [
            name,
            f"{s.rows:,}",
            f"{s.precision:.4f}",
            f"{s.recall:.4f}",
            f"{s.f1:.4f}",
            f"{s.predicted_persons:,}",
            f"{s.true_persons:,}",
            f"{s.persons_difference_pct:+.2f}",
            f"{s.merged_groups:,}",
            f"{s.split_persons:,}",
        ]
        for name, s in stages
    ]
    return table(header, rows)


def measure_table(measures: list[Measure]) -> str:
    return table(
        ["measure", "value", "target", "result"],
        [[m.name, m.shown, m.target, m.verdict] for m in measures],
    )
