"""Which cells to withhold: the least and the most each withheld small count can be, by
linear programming (HiGHS), and the sums that pin it when it is too narrow.

Interval propagation alone misses what a reader finds by combining sums: courses add up both to
their components and to their providers (a table of component by provider), cohorts both to
their courses and to their years. The linear program sees every combination. Each group of
withheld cells tied by sums is one model, solved once per cell and direction from the last
solution (warm start), which keeps this to milliseconds on a report's few hundred cells.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field

import highspy
import numpy as np

from registry.reports.disclosure.engine import (
    MAX_ROUNDS,
    AtMost,
    Cell,
    Relation,
    Sum,
    inferred_ranges,
    pickable,
    protection_width,
    withhold,
    withhold_small,
)

INF = highspy.kHighsInf


def _banner_silenced() -> None:
    """HiGHS prints its banner on standard output, from C, once per process, before any
    option can silence it: the first instance is made here with standard output sent to
    /dev/null, so that a command's JSON or CSV holds only the report."""
    sys.stdout.flush()
    saved = os.dup(1)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        highspy.Highs()
        ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(null)
        os.close(saved)


_banner_silenced()


@dataclass(frozen=True)
class Exposure:
    cell: Cell
    low: float
    high: float
    pinning: list[Sum]  # the sums whose duals are non-zero at the binding extreme


def _cells(relation: Relation) -> Sequence[Cell]:
    """The cells a relation names: the side it bounds first, then the others."""
    if isinstance(relation, AtMost):
        return (relation.low, relation.high)
    return (relation.total, *relation.members)


def _terms(relation: Relation) -> tuple[list[tuple[Cell, float]], bool]:
    """The relation as `sum(coefficient * cell) (== or <=) 0`, and whether it is `==`."""
    if isinstance(relation, AtMost):
        sign, exact = 1.0, False
    else:
        sign, exact = (-1.0 if relation.at_least and not relation.exact else 1.0), relation.exact
    first, *others = _cells(relation)
    return [(first, sign)] + [(cell, -sign) for cell in others], exact


@dataclass(frozen=True)
class RelationIndex:
    """Which relations each cell is in, built once for all the rounds of one report; each
    relation's `_terms` are made when a group first reaches it (a report with few small
    counts reaches few of its tens of thousands of sums)."""

    relations: Sequence[Relation]
    by_cell: dict[Cell, list[int]]
    _terms: dict[int, tuple[list[tuple[Cell, float]], bool]] = field(default_factory=dict)

    @classmethod
    def of(cls, relations: Sequence[Relation]) -> RelationIndex:
        by_cell: dict[Cell, list[int]] = {}
        for n, relation in enumerate(relations):
            for cell in _cells(relation):
                by_cell.setdefault(cell, []).append(n)
        return cls(relations, by_cell)

    def terms(self, n: int) -> tuple[list[tuple[Cell, float]], bool]:
        found = self._terms.get(n)
        if found is None:
            found = self._terms[n] = _terms(self.relations[n])
        return found


def exposures(
    cells: Sequence[Cell],
    relations: Sequence[Relation],
    only: set[Cell] | None = None,
    index: RelationIndex | None = None,
) -> list[Exposure]:
    """Withheld small cells a reader narrows below their protection width (or below what
    the marks alone leave them); `only`: of these cells. Each group of withheld cells tied
    by sums is found from its targets outwards, so a report with few small counts costs
    little whatever its size."""
    index = index or RelationIndex.of(relations)
    targets = [c for c in cells if c.hidden and c.small and (only is None or c in only)]
    ranges: dict[Cell, tuple[float, float]] = {}

    def known(cell: Cell) -> tuple[float, float]:
        if cell not in ranges:
            ranges[cell] = cell.shown_range()
        return ranges[cell]

    visited: set[Cell] = set()
    found_exposures: list[Exposure] = []
    for start in targets:
        if start in visited:
            continue
        visited.add(start)
        known(start)
        group, touching = [start], set()
        for cell in group:  # grows while it is walked
            for n in index.by_cell.get(cell, ()):
                if n in touching:
                    continue  # a sum of thousands of rows is walked once, not once a row
                touching.add(n)
                for other, _ in index.terms(n)[0]:
                    low, high = known(other)
                    if other not in visited and low != high:
                        visited.add(other)
                        group.append(other)
        in_group = set(group)
        group_targets = [c for c in targets if c in in_group]
        found_exposures += _solve_group(
            group,
            group_targets,
            [(n, index.relations[n], index.terms(n)) for n in sorted(touching)],
            ranges,
        )
    return found_exposures


def _solve_group(
    group: list[Cell],
    targets: list[Cell],
    touching: list[tuple[int, Relation, tuple[list[tuple[Cell, float]], bool]]],
    ranges: dict[Cell, tuple[float, float]],
) -> list[Exposure]:
    column = {cell: n for n, cell in enumerate(group)}
    relations = {n: relation for n, relation, _ in touching}
    rows: list[tuple[int, dict[int, float], float, bool]] = []
    for n, _, (found, exact) in touching:
        coefficients: dict[int, float] = {}
        constant = 0.0
        for cell, coefficient in found:
            if cell in column:
                coefficients[column[cell]] = coefficients.get(column[cell], 0.0) + coefficient
            else:
                constant += coefficient * ranges[cell][0]
        if coefficients:
            rows.append((n, coefficients, -constant, exact))
    highs = _model(group, rows, ranges)
    # Every solution is a point a reader cannot rule out; the true values are one. A target
    # already seen across a range wide enough needs no solve of its own.
    seen = {cell: [float(cell.value), float(cell.value)] for cell in targets}
    needed = {cell: float(protection_width(cell.k)) for cell in targets}
    _seen_together(highs, targets, column, seen, needed)
    open_targets = [cell for cell in targets if seen[cell][1] - seen[cell][0] < needed[cell]]
    if open_targets:
        # What the marks alone leave, from the sums of this group only: fewer sums leave a
        # cell wider, so this asks at least as much as the whole report's marks would.
        marks = inferred_ranges(group, [relation for _, relation, _ in touching], marks_only=True)
        for cell in open_targets:
            needed[cell] = min(needed[cell], marks[cell][1] - marks[cell][0])
    result = []
    for cell in targets:
        if seen[cell][1] - seen[cell][0] >= needed[cell]:
            continue
        j = column[cell]
        highs.changeColCost(j, 1.0)
        low, low_duals = _extreme(highs, highspy.ObjSense.kMinimize, seen, column)
        if seen[cell][1] - low < needed[cell]:
            high, high_duals = _extreme(highs, highspy.ObjSense.kMaximize, seen, column)
        else:
            high, high_duals = seen[cell][1], []
        highs.changeColCost(j, 0.0)
        if high - low < needed[cell]:
            # The extreme that falls short: the upper one if it is below k - 1, else the lower.
            duals = high_duals if high < cell.k - 1 else low_duals
            pinning = [
                relations[rows[i][0]]
                for i, dual in enumerate(duals)
                if abs(dual) > 1e-9 and isinstance(relations[rows[i][0]], Sum)
            ]
            result.append(Exposure(cell, low, high, pinning))  # type: ignore[arg-type]
    return result


# Rounds of solving for many targets at once before solving for each alone.
TOGETHER_ROUNDS = 16


def _seen_together(
    highs: highspy.Highs,
    targets: list[Cell],
    column: dict[Cell, int],
    seen: dict[Cell, list[float]],
    needed: dict[Cell, float],
) -> None:
    """Push the targets not yet seen across their range in directions drawn at random, then
    each the other way: one solve moves thousands of cells towards their bounds, where one
    solve per cell would take minutes on a report of 10,000 small counts. Cells tied by a
    sum (the cohorts of a course) cannot all go down at once; random directions move some
    up as others go down. What is left is solved cell by cell. The draws are seeded: the
    same report is withheld the same way every time."""
    rng = np.random.default_rng(0)
    first = True
    for _ in range(TOGETHER_ROUNDS):
        open_targets = [c for c in targets if seen[c][1] - seen[c][0] < needed[c]]
        if len(open_targets) < 8:
            return
        indices = np.array([column[c] for c in open_targets], dtype=np.int32)
        # Every direction alike first (cells in separate sums all reach their bounds), then
        # at random.
        signs = np.ones(len(indices)) if first else rng.choice([-1.0, 1.0], size=len(indices))
        first = False
        highs.changeColsCost(len(indices), indices, signs)
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            _extreme(highs, sense, seen, column)
        highs.changeColsCost(len(indices), indices, np.zeros(len(indices)))
        still_open = sum(1 for c in open_targets if seen[c][1] - seen[c][0] < needed[c])
        if still_open == len(open_targets):
            return  # together moves no more: the rest are solved one by one


def _model(
    group: list[Cell],
    rows: list[tuple[int, dict[int, float], float, bool]],
    ranges: dict[Cell, tuple[float, float]],
) -> highspy.Highs:
    lp = highspy.HighsLp()
    lp.num_col_ = len(group)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(len(group))
    lp.col_lower_ = np.array([max(ranges[c][0], -INF) for c in group], dtype=float)
    lp.col_upper_ = np.array([min(ranges[c][1], INF) for c in group], dtype=float)
    lp.row_lower_ = np.array([b if exact else -INF for _, _, b, exact in rows], dtype=float)
    lp.row_upper_ = np.array([b for _, _, b, _ in rows], dtype=float)
    by_column: list[list[tuple[int, float]]] = [[] for _ in group]
    for r, (_, coefficients, _, _) in enumerate(rows):
        for c, value in coefficients.items():
            by_column[c].append((r, value))
    starts, indices, values = [0], [], []
    for entries in by_column:
        for r, value in entries:
            indices.append(r)
            values.append(value)
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    # Each solve starts from the last one's basis (only the objective changes); presolving
    # again would throw that basis away.
    highs.setOptionValue("presolve", "off")
    highs.passModel(lp)
    return highs


def _extreme(
    highs: highspy.Highs,
    sense: highspy.ObjSense,
    seen: dict[Cell, list[float]],
    column: dict[Cell, int],
) -> tuple[float, list[float]]:
    highs.changeObjectiveSense(sense)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kUnbounded:
        return (-np.inf if sense == highspy.ObjSense.kMinimize else np.inf), []
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS: {highs.modelStatusToString(status)}")
    solution = highs.getSolution()
    values = solution.col_value
    for cell, span in seen.items():
        value = values[column[cell]]
        span[0] = min(span[0], value)
        span[1] = max(span[1], value)
    return round(highs.getInfo().objective_function_value, 6), list(solution.row_dual)


def protect_exactly(cells: Sequence[Cell], relations: Sequence[Relation]) -> int:
    """Withhold the small counts, then more until the linear program finds no withheld small
    count narrowed; returns how many stay exposed (0 unless nothing is left to withhold).

    Complements come from the sums the program finds binding, which withholds far fewer
    cells than choosing them by propagation (215 against 370 on the demo's whole report).
    """
    withhold_small(cells)
    if not any(cell.hidden for cell in cells):
        return 0  # nothing small: nothing to protect (most reports of a large registry)
    index = RelationIndex.of(relations)
    found = exposures(cells, relations, index=index)
    for _ in range(MAX_ROUNDS):
        if not found:
            return 0
        used: set[int] = set()
        progress = False
        for exposure in found:
            choice = _complement_of(exposure, used)
            if choice is not None:
                withhold(choice)
                progress = True
        if not progress:
            return len(found)
        # Withholding only widens what a reader can infer, so a cell found safe stays safe:
        # only the exposed ones are solved again.
        found = exposures(cells, relations, only={e.cell for e in found}, index=index)
    return len(found)


def _complement_of(exposure: Exposure, used: set[int]) -> Cell | None:
    """A shown cell of a sum that pins `exposure`: the smallest member that frees enough
    (else the largest), or else the sum's total."""
    for relation in exposure.pinning:
        if id(relation) in used:
            continue
        shown = [
            pick
            for member in relation.members
            if (pick := pickable(member)) is not None and pick is not exposure.cell
        ]
        if shown:
            used.add(id(relation))
            # Withheld, a count of v (marked "x", so at least its k) frees v - k.
            need = protection_width(exposure.cell.k) - (exposure.high - exposure.low)
            enough = [cell for cell in shown if cell.value - cell.k >= need]
            if enough:
                return min(enough, key=lambda cell: cell.value)
            return max(shown, key=lambda cell: cell.value)
    for relation in exposure.pinning:
        if id(relation) in used:
            continue
        total = pickable(relation.total)
        if total is not None and total is not exposure.cell:
            used.add(id(relation))
            return total
    return None
