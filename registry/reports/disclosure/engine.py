"""Small-cell suppression over published tables: which counts to withhold, and which further
counts to withhold so that no withheld small count can be worked out from what is shown.

Django-free: cells, the sums that tie them, and a greedy search.

- **Primary:** a count between 1 and k - 1 is withheld and shown as "< k". Zeros are shown:
  they name nobody.
- **What a reader can infer** is worked out as a reader would: every shown value is exact,
  a "< k" cell lies in [1, k - 1], any other withheld cell ("x") is at least k, and the sums
  the tables publish (a table's rows add up to its total, a course's cohorts to the course)
  tighten those ranges. The ranges are propagated through the sums until nothing changes
  (interval constraint propagation, exact on the tree-shaped sums these tables have; the
  tests check it against a linear program).
- **Secondary:** while a reader can narrow some "< k" cell to a range less than half as wide
  as the mark's own [1, k - 1] (2 values for k = 5; worked out exactly, at worst), one more
  cell of a sum it is in is withheld: the smallest shown count that gives it back its range, or the
  sum's total when every member is already withheld.

Cells in one `unit` (a row's participations and persons) are withheld together, so that one
shown beside a withheld other never gives it away.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

INF = math.inf
# A safety stop: the search adds at least one withheld cell per round, so it ends anyway.
MAX_ROUNDS = 500


@dataclass(eq=False)
class Cell:
    """One published count."""

    value: int
    k: int  # its threshold: 5, or 10 in a sensitive course
    hidden: bool = False
    unit: list[Cell] = field(default_factory=list, repr=False)
    label: str = ""  # where it is, for messages and tests: "by_region.3.participations"
    # False: a difference the tables do not print (a row's participations beyond one per
    # person), which a reader works out when its row is shown and knows nothing of otherwise.
    published: bool = True
    of: tuple[Cell, ...] = field(default=(), repr=False)  # an unpublished cell's sources

    @property
    def small(self) -> bool:
        return self.published and 0 < self.value < self.k

    def shown_range(self, *, marks_only: bool = False) -> tuple[float, float]:
        """What its mark alone tells a reader (`marks_only`: as if no count were shown, so
        that only the "< k" marks say anything)."""
        if not self.published:
            known = not marks_only and not any(source.hidden for source in self.of)
            return (self.value, self.value) if known else (0, INF)
        if marks_only:
            if self.value == 0:
                return (0, 0)  # zeros are always shown
            return (1, self.k - 1) if self.small else (0, INF)
        if not self.hidden:
            return (self.value, self.value)
        return (1, self.k - 1) if self.small else (self.k, INF)


@dataclass(eq=False)
class Sum:
    """`total` = the sum of `members` (exact); or `total` <= it (a person counted in several
    rows: the rows' persons add up to at least the total); or, `at_least`, `total` >= it
    (the rows' participations beyond one per person add up to at most the total's)."""

    total: Cell
    members: list[Cell]
    exact: bool = True
    at_least: bool = False


@dataclass(eq=False)
class AtMost:
    """`low` <= `high` (a row's persons never exceed its participations)."""

    low: Cell
    high: Cell


Relation = Sum | AtMost


def unit(cells: Sequence[Cell]) -> None:
    """Make `cells` be withheld together."""
    group = list(cells)
    for cell in group:
        cell.unit = group


def inferred_ranges(
    cells: Iterable[Cell], relations: Sequence[Relation], *, marks_only: bool = False
) -> dict[Cell, list[float]]:
    """The range a reader can infer for each cell from the marks and the published sums."""
    ranges: dict[Cell, list[float]] = {
        cell: list(cell.shown_range(marks_only=marks_only)) for cell in cells
    }
    for relation in relations:
        for cell in _cells_of(relation):
            ranges.setdefault(cell, list(cell.shown_range(marks_only=marks_only)))
    for _ in range(100):
        changed = False
        for relation in relations:
            if isinstance(relation, AtMost):
                changed |= _tighten(ranges[relation.low], high=ranges[relation.high][1])
                changed |= _tighten(ranges[relation.high], low=ranges[relation.low][0])
            else:
                changed |= _propagate_sum(relation, ranges)
        if not changed:
            break
    return ranges


def _cells_of(relation: Relation) -> list[Cell]:
    if isinstance(relation, AtMost):
        return [relation.low, relation.high]
    return [relation.total, *relation.members]


def _tighten(bounds: list[float], *, low: float = -INF, high: float = INF) -> bool:
    changed = False
    if low > bounds[0]:
        bounds[0] = low
        changed = True
    if high < bounds[1]:
        bounds[1] = high
        changed = True
    return changed


def _propagate_sum(relation: Sum, ranges: dict[Cell, list[float]]) -> bool:
    total = ranges[relation.total]
    members = [ranges[m] for m in relation.members]
    low_sum = sum(m[0] for m in members)
    finite_highs = [m[1] for m in members if m[1] != INF]
    infinite_highs = len(members) - len(finite_highs)
    high_sum = sum(finite_highs)
    changed = False
    exact, at_least = relation.exact, relation.at_least and not relation.exact
    if exact:
        changed |= _tighten(total, low=low_sum, high=INF if infinite_highs else high_sum)
    elif at_least:
        changed |= _tighten(total, low=low_sum)
    else:
        changed |= _tighten(total, high=INF if infinite_highs else high_sum)
    for bounds in members:
        # The others' highest sum, without this member's own.
        others_infinite = infinite_highs - (bounds[1] == INF)
        others_high = INF if others_infinite else high_sum - (0 if bounds[1] == INF else bounds[1])
        low = total[0] - others_high if not at_least else -INF
        high = total[1] - (low_sum - bounds[0]) if exact or at_least else INF
        changed |= _tighten(bounds, low=low, high=high)
    return changed


def protection_width(k: int) -> int:
    """How wide the range a reader can infer for a "< k" cell must stay: half the mark's own
    range [1, k - 1], rounded up (2 for k = 5, 5 for k = 10)."""
    return max(1, math.ceil((k - 1) / 2))


def exposed(
    ranges: dict[Cell, list[float]], marks: dict[Cell, list[float]] | None = None
) -> list[Cell]:
    """Withheld small cells the shown counts narrow to less than their protection width.

    `marks`: the ranges the "< k" marks and the sums leave without any shown count. A small
    cell whose marks alone leave it narrower (three cohorts of one course that is "< 5"
    themselves hold at most 2 each) needs only to keep that range: no further withholding
    could widen it.
    """
    found = []
    for cell, (low, high) in ranges.items():
        if not (cell.hidden and cell.small):
            continue
        need = protection_width(cell.k)
        if marks is not None and cell in marks:
            need = min(need, marks[cell][1] - marks[cell][0])
        if high - low < need:
            found.append(cell)
    return found


def protect(cells: Sequence[Cell], relations: Sequence[Relation]) -> int:
    """Withhold the small cells and as few others as it takes; returns how many withheld
    small cells remain exposed (0 unless a sum has nothing left to withhold)."""
    for cell in cells:
        if cell.small:
            withhold(cell)
    by_cell: dict[Cell, list[Sum]] = {}
    for relation in relations:
        if isinstance(relation, Sum):
            for cell in _cells_of(relation):
                by_cell.setdefault(cell, []).append(relation)
    marks = inferred_ranges(cells, relations, marks_only=True)
    for _ in range(MAX_ROUNDS):
        ranges = inferred_ranges(cells, relations)
        open_cells = exposed(ranges, marks)
        if not open_cells:
            return 0
        fixed_sums: set[int] = set()
        progress = False
        for cell in open_cells:
            choice = _complement(cell, by_cell.get(cell, []), ranges, fixed_sums)
            if choice is None:
                # Every cell of its sums is withheld, yet another sum pins it: look one step
                # further, at the withheld cells beside it and the sums they are in.
                choice = _complement_beyond(cell, by_cell, ranges, fixed_sums)
            if choice is not None:
                withhold(choice)
                progress = True
        if not progress:
            return len(open_cells)
    return len(exposed(inferred_ranges(cells, relations), marks))


def withhold(cell: Cell) -> None:
    # A zero names nobody and stays shown, even beside a withheld cell of its row.
    for member in cell.unit or [cell]:
        if member.value > 0:
            member.hidden = True
    cell.hidden = True


def _implied_width(cell: Cell, relation: Sum, ranges: dict[Cell, list[float]]) -> float:
    """How wide this sum alone leaves `cell`, within its mark: the narrowest is the sum
    that gives it away, and the one to withhold a further cell in."""
    mark_low, mark_high = cell.shown_range()
    members = [ranges[m] for m in relation.members if m is not cell]
    others_low = sum(m[0] for m in members)
    others_high = sum(m[1] for m in members)
    total = ranges[relation.total]
    if relation.total is cell:
        if relation.exact:
            low, high = others_low, others_high
        elif relation.at_least:
            low, high = others_low, INF
        else:
            low, high = -INF, others_high
    else:
        low = -INF if relation.at_least and not relation.exact else total[0] - others_high
        high = total[1] - others_low if relation.exact or relation.at_least else INF
    return min(high, mark_high) - max(low, mark_low)


def _complement(
    cell: Cell, sums: list[Sum], ranges: dict[Cell, list[float]], fixed: set[int]
) -> Cell | None:
    """The cell to withhold so that `cell` gets back its range: a shown member of the sum
    that narrows it most, or else that sum's total."""
    ordered = sorted(
        (relation for relation in sums if id(relation) not in fixed),
        key=lambda relation: _implied_width(cell, relation, ranges),
    )
    for relation in ordered:
        shown = [
            pick
            for m in relation.members
            if m is not cell and (pick := pickable(m)) is not None and pick is not cell
        ]
        if not shown:
            continue
        fixed.add(id(relation))
        if relation.total is cell:
            return min(shown, key=lambda m: m.value)
        # Hiding a member of value v (shown as "x", so at least its k) frees v - k.
        need = protection_width(cell.k) - (ranges[cell][1] - ranges[cell][0])
        enough = [m for m in shown if m.value - m.k >= need]
        return min(enough, key=lambda m: m.value) if enough else max(shown, key=lambda m: m.value)
    need = protection_width(cell.k)
    for relation in ordered:
        if _implied_width(cell, relation, ranges) >= need:
            break  # the sums from here on leave it wide enough: withholding there is waste
        total = pickable(relation.total) if relation.total is not cell else None
        if total is not None and total is not cell:
            fixed.add(id(relation))
            return total
    return None


def pickable(cell: Cell) -> Cell | None:
    """The shown cell to withhold for `cell`: itself, or for a difference the tables do not
    print, the shown count it is worked out from."""
    if cell.published:
        return cell if not cell.hidden and cell.value > 0 else None
    for source in reversed(cell.of):
        if not source.hidden and source.value > 0:
            return source
    return None


def _complement_beyond(
    cell: Cell, by_cell: dict[Cell, list[Sum]], ranges: dict[Cell, list[float]], fixed: set[int]
) -> Cell | None:
    """When the sums that narrow `cell` have nothing left to withhold, widen the withheld
    cells beside it that are narrowed themselves, through their other sums."""
    need = protection_width(cell.k)
    for relation in by_cell.get(cell, []):
        if _implied_width(cell, relation, ranges) >= need:
            continue
        for neighbour in [relation.total, *relation.members]:
            if neighbour is cell or not neighbour.hidden:
                continue
            low, high = ranges[neighbour]
            if high == INF or high - low >= 2 * need:
                continue
            others = [other for other in by_cell.get(neighbour, []) if other is not relation]
            choice = _complement(neighbour, others, ranges, fixed)
            if choice is not None:
                return choice
    return None
