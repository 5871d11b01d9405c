"""Small-cell suppression over published tables: the cells, the sums that tie them, and
what a reader can infer from the marks and the sums.

Django-free. Which cells to withhold is decided in `exact_check`:
- **Primary:** a count between 1 and k - 1 is withheld and shown as "< k". Zeros are shown:
  they name nobody.
- **What a reader knows:** every shown value is exact, a "< k" cell lies in [1, k - 1], any
  other withheld cell ("x") is at least k, and the sums the tables publish (a table's rows
  add up to its total, a course's cohorts to the course) tie them together.
- **Secondary:** while a reader can narrow some "< k" cell to a range less than half as wide
  as the mark's own [1, k - 1] (2 values for k = 5; worked out exactly, at worst), one more
  cell of a sum that pins it is withheld.

`inferred_ranges` propagates ranges through the sums (interval constraint propagation); it
says what the marks alone leave a cell, which bounds how wide its range can ever be.
Cells in one `unit` (a row's participations and persons) are withheld together, so that one
shown beside a withheld other never gives it away.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

INF = math.inf
# A safety stop: each round withholds at least one more cell, so it ends anyway.
MAX_ROUNDS = 500


# Slots: a large report lays out tens of thousands of cells and sums per render.
@dataclass(eq=False, slots=True)
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


@dataclass(eq=False, slots=True)
class Sum:
    """`total` = the sum of `members` (exact); or `total` <= it (a person counted in several
    rows: the rows' persons add up to at least the total); or, `at_least`, `total` >= it
    (the rows' participations beyond one per person add up to at most the total's)."""

    total: Cell
    members: list[Cell]
    exact: bool = True
    at_least: bool = False


@dataclass(eq=False, slots=True)
class AtMost:
    """`low` <= `high` (a row's persons never exceed its participations)."""

    low: Cell
    high: Cell


Relation = Sum | AtMost


def unit(cells: Sequence[Cell]) -> None:
    """Make `cells` be withheld together, with whatever each was already withheld with."""
    group: list[Cell] = []
    seen: set[int] = set()  # by identity: cells compare by identity, and a set is not quadratic
    for cell in cells:
        for member in cell.unit or [cell]:
            if id(member) not in seen:
                seen.add(id(member))
                group.append(member)
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


def withhold_small(cells: Sequence[Cell]) -> None:
    """Primary suppression: every count of 1 to k - 1, with the rest of its row."""
    for cell in cells:
        if cell.small:
            withhold(cell)


def withhold(cell: Cell) -> None:
    # A zero names nobody and stays shown, even beside a withheld cell of its row.
    for member in cell.unit or [cell]:
        if member.value > 0:
            member.hidden = True
    cell.hidden = True


def pickable(cell: Cell) -> Cell | None:
    """The shown cell to withhold for `cell`: itself, or for a difference the tables do not
    print, the shown count it is worked out from."""
    if cell.published:
        return cell if not cell.hidden and cell.value > 0 else None
    for source in reversed(cell.of):
        if not source.hidden and source.value > 0:
            return source
    return None
