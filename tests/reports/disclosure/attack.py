"""A reader's attack on the published report: for every withheld small count, the least and
the most it can be given everything the report shows, by linear programming (scipy's HiGHS).

Independent of the engine's own reasoning (interval propagation): it reads the marks from the
published report as a reader would, and solves the sums exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import lil_matrix

from registry.reports.disclosure.engine import AtMost, Cell, Relation, Sum, protection_width
from registry.reports.disclosure.layout import Layout


@dataclass(frozen=True)
class Finding:
    label: str
    value: int
    low: float
    high: float
    needed: float


IDENTITY = ("vocabulary", "code", "key", "label", "spelling", "sequence", "courses")


def _identity(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name) for name in IDENTITY)


def published_value(report: dict[str, Any], layout: Layout, cell: Cell) -> Any:
    """The cell as the published report prints it, its row found by what names the row:
    the published tables move withheld rows out of their rank."""
    place = layout.places[cell]
    found: Any = report
    for step in place.path:
        if isinstance(step, int):
            (found,) = [row for row in found if _identity(row) == _identity(place.row)]
        else:
            found = found[step]
    return found[place.key]


def _bounds(value: Any, cell: Cell, *, marks_only: bool) -> tuple[float, float | None]:
    """What a reader knows of a cell from what is printed in it."""
    if value is None:
        return (0, None)
    if isinstance(value, str):
        if value.startswith("< "):
            return (1, int(value[2:]) - 1)
        assert value == "x", f"{cell.label}: unknown mark {value!r}"
        return (0, None) if marks_only else (cell.k, None)
    assert value == cell.value, f"{cell.label}: shows {value!r} for {cell.value}"
    if marks_only:
        return (0, 0) if value == 0 else (0, None)
    return (value, value)


def attack(published: dict[str, Any], layout: Layout) -> list[Finding]:
    """Every withheld small count a reader of `published` can narrow below its protection
    width (or, where the marks alone already leave it narrower, below what the marks
    leave). `layout`: the true report's cells and sums."""
    shown: dict[Cell, Any] = {
        cell: published_value(published, layout, cell) for cell in layout.cells
    }
    return _attack(shown, layout)


def attack_cells(cells: list[Cell], relations: list[Relation]) -> list[Finding]:
    """The same attack on cells the engine marked, read as a page would print them."""
    shown: dict[Cell, Any] = {
        cell: (cell.value if not cell.hidden else f"< {cell.k}" if cell.small else "x")
        for cell in cells
    }
    return _attack(shown, Layout(cells=cells, relations=relations))


def _attack(shown: dict[Cell, Any], layout: Layout) -> list[Finding]:
    for relation in layout.relations:
        for cell, _ in _terms(relation)[0]:
            if not cell.published:
                shown[cell] = None  # not printed: unknown to a reader, whatever its row shows
    findings = []
    for component in _components(layout, shown):
        findings += _attack_component(component, layout, shown)
    return findings


def _terms(relation: Sum | AtMost) -> tuple[list[tuple[Cell, float]], bool]:
    """The relation as `sum(coefficient * cell) (== or <=) 0`, and whether it is `==`."""
    if isinstance(relation, AtMost):
        return [(relation.low, 1.0), (relation.high, -1.0)], False
    sign = -1.0 if relation.at_least and not relation.exact else 1.0
    terms = [(relation.total, sign)] + [(m, -sign) for m in relation.members]
    return terms, relation.exact


def _components(layout: Layout, shown: dict[Cell, Any]) -> list[list[Cell]]:
    """The withheld cells, in groups that no relation ties to each other: a shown cell is a
    constant, so each group is solved on its own."""
    parent: dict[Cell, Cell] = {}

    def find(cell: Cell) -> Cell:
        while parent.setdefault(cell, cell) is not cell:
            cell = parent[cell]
        return cell

    hidden = [cell for cell, value in shown.items() if not isinstance(value, int)]
    for cell in hidden:
        find(cell)
    for relation in layout.relations:
        withheld = [c for c, _ in _terms(relation)[0] if not isinstance(shown[c], int)]
        for other in withheld[1:]:
            parent[find(other)] = find(withheld[0])
    groups: dict[Cell, list[Cell]] = {}
    for cell in hidden:
        groups.setdefault(find(cell), []).append(cell)
    return list(groups.values())


def _attack_component(
    component: list[Cell], layout: Layout, shown: dict[Cell, Any]
) -> list[Finding]:
    index = {cell: n for n, cell in enumerate(component)}
    rows: list[tuple[dict[int, float], float, bool]] = []
    touching: list[Relation] = []
    for relation in layout.relations:
        terms, exact = _terms(relation)
        if not any(c in index for c, _ in terms):
            continue
        touching.append(relation)
        coefficients: dict[int, float] = {}
        constant = 0.0
        for cell, coefficient in terms:
            if cell in index:
                coefficients[index[cell]] = coefficients.get(index[cell], 0.0) + coefficient
            else:
                constant += coefficient * cell.value
        rows.append((coefficients, -constant, exact))

    def matrix(exact: bool) -> tuple[Any, Any]:
        chosen = [(c, b) for c, b, e in rows if e is exact]
        if not chosen:
            return None, None
        a = lil_matrix((len(chosen), len(component)))
        for r, (coefficients, _) in enumerate(chosen):
            for c, value in coefficients.items():
                a[r, c] = value
        return a.tocsr(), np.array([b for _, b in chosen])

    a_eq, b_eq = matrix(True)
    a_le, b_le = matrix(False)

    def extreme(n: int, sign: float, bounds: list[tuple[float, float | None]]) -> float:
        objective = np.zeros(len(component))
        objective[n] = sign
        result = linprog(
            objective, A_ub=a_le, b_ub=b_le, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs"
        )
        if result.status == 3:  # unbounded
            return math.inf
        assert result.status == 0, f"{component[n].label}: {result.message}"
        for t, span in seen.items():
            span[0], span[1] = min(span[0], result.x[t]), max(span[1], result.x[t])
        return sign * result.fun

    reader = [_bounds(shown[c], c, marks_only=False) for c in component]
    targets = [
        n
        for n, cell in enumerate(component)
        if isinstance(shown[cell], str) and shown[cell].startswith("< ")
    ]
    # Every solution found is a point a reader cannot rule out, the truth among them: a cell
    # already seen across a wide enough range needs no solve of its own.
    seen = {n: [float(component[n].value)] * 2 for n in targets}
    findings = []
    for n in targets:
        cell = component[n]
        if seen[n][1] - seen[n][0] >= protection_width(cell.k):
            continue
        low, high = extreme(n, 1.0, reader), extreme(n, -1.0, reader)
        assert low - 1e-6 <= cell.value <= high + 1e-6, f"{cell.label}: the truth is infeasible"
        needed = protection_width(cell.k)
        if high - low < needed:
            needed = min(needed, _marks_width(cell, touching, shown))
            if high - low < needed:
                findings.append(Finding(cell.label, cell.value, low, high, needed))
    return findings


def _marks_width(cell: Cell, relations: list[Relation], shown: dict[Cell, Any]) -> float:
    """How wide the marks alone leave `cell`: every shown count but the zeros unknown.

    Only the sums touching the cell's group are used: fewer sums leave it wider, so the
    attack asks at least as much as the marks over the whole report would.
    """
    cells = list(dict.fromkeys(c for r in relations for c, _ in _terms(r)[0]))
    index = {c: n for n, c in enumerate(cells)}
    eq: list[list[tuple[int, float]]] = []
    le: list[list[tuple[int, float]]] = []
    for relation in relations:
        terms, exact = _terms(relation)
        (eq if exact else le).append([(index[c], k) for c, k in terms])

    def matrix(rows: list[list[tuple[int, float]]]) -> Any:
        if not rows:
            return None
        a = lil_matrix((len(rows), len(cells)))
        for r, row in enumerate(rows):
            for c, value in row:
                a[r, c] += value
        return a.tocsr()

    bounds = [_bounds(shown[c], c, marks_only=True) for c in cells]
    extremes = []
    for sign in (1.0, -1.0):
        objective = np.zeros(len(cells))
        objective[index[cell]] = sign
        result = linprog(
            objective,
            A_ub=matrix(le),
            b_ub=np.zeros(len(le)) if le else None,
            A_eq=matrix(eq),
            b_eq=np.zeros(len(eq)) if eq else None,
            bounds=bounds,
            method="highs",
        )
        extremes.append(math.inf if result.status == 3 else sign * result.fun)
    return extremes[1] - extremes[0]
