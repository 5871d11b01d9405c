"""Unique persons and participations, overall and by each dimension of the training."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from courses.models import Course, Indicator
from participants.models import (
    Decision,
    DuplicateCandidate,
    Institution,
    Region,
    Role,
    sex_labels,
)
from registry.reports import labels
from registry.reports.cellset import ReportCells, facts_matching, report_cells
from registry.reports.filters import ReportFilters
from review.services import review_constraints


def double_counting(participations: int, unique_persons: int) -> float | None:
    """Participations per person: how much counting participations overstates people."""
    return round(participations / unique_persons, 2) if unique_persons else None


def _id(key: str) -> int | None:
    return int(key) if key else None


def _names(
    model: type[Institution | Role | Region | Course], field: str
) -> Callable[[list[str], ReportCells], dict[str, tuple[Any, str]]]:
    """(report key, label) for cell keys holding ids of a vocabulary or course."""

    def resolve(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
        ids = [int(k) for k in keys if k]
        names = dict(model.objects.filter(pk__in=ids).values_list("pk", field))
        return {k: (_id(k), str(names.get(_id(k), "?")) if k else labels.MISSING) for k in keys}

    return resolve


def _fixed(
    mapping: Callable[[], dict[str, str]],
) -> Callable[[list[str], ReportCells], dict[str, tuple[Any, str]]]:
    """(key, label) from a list of labels read at each use, so the active language applies."""

    def resolve(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
        labelled = mapping()
        return {k: (k, labelled.get(k, k)) for k in keys}

    return resolve


def code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key for logframe codes: 1.2.1.2 before 1.2.1.10 (parts compared as numbers)."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split("."))


def indicator_labels(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
    """(code, label) for cell keys holding indicator ids ("" for none)."""
    codes = dict(
        Indicator.objects.filter(pk__in=[int(k) for k in keys if k]).values_list("pk", "code")
    )
    return {
        k: (codes.get(int(k), "?"), codes.get(int(k), "?")) if k else (None, labels.NO_INDICATOR)
        for k in keys
    }


def _years(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
    return {k: (int(k), k) if k else (None, labels.NO_YEAR) for k in keys}


def _cohorts(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
    names = {pk: f"{title} - {label}" for pk, (label, _, title) in cells.cohorts.items()}
    return {k: (int(k), names.get(int(k), "?")) for k in keys}


def _providers(keys: list[str], cells: ReportCells) -> dict[str, tuple[Any, str]]:
    return {k: (k, k or labels.MISSING) for k in keys}


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str
    # (cell keys, cells) -> {cell key: (the key the report shows, its label)}
    resolve: Callable[[list[str], ReportCells], dict[str, tuple[Any, str]]]
    order_by_key: bool = False


DIMENSIONS: dict[str, Dimension] = {
    dimension.name: dimension
    for dimension in [
        Dimension("sex", "Sexo", _fixed(sex_labels)),
        Dimension("institution", "Institución", _names(Institution, "acronym")),
        Dimension("role", "Cargo", _names(Role, "name")),
        Dimension("region", "Región", _names(Region, "name")),
        Dimension("course", "Curso", _names(Course, "title")),
        Dimension("component", "Componente", _fixed(lambda: labels.COMPONENT_LABELS)),
        Dimension("year", "Año", _years, order_by_key=True),
        Dimension("cohort", "Cohorte", _cohorts),
        Dimension("provider", "Proveedor", _providers),
    ]
}


def coverage_totals(*, filters: ReportFilters, cells: ReportCells | None = None) -> dict[str, Any]:
    """The headline figures.

    `participations` counts the participations of active persons, so that it and
    `unique_persons` describe the same people and their ratio is the double-counting factor.
    `participations_including_cancelled` adds the participations of persons cancelled at
    their request: the anonymised total that must remain after a cancellation.
    """
    total = (cells or report_cells(filters)).cell("total")
    unique = total["persons"]
    return {
        "participations": total["participations"],
        "participations_including_cancelled": total["rows_all"],
        "unique_persons": unique,
        "unique_persons_if_reviews_confirmed": unique - pending_merges(filters=filters),
        "double_counting_factor": double_counting(total["participations"], unique),
    }


def coverage_by(
    *, filters: ReportFilters, dimension: str, cells: ReportCells | None = None
) -> list[dict[str, Any]]:
    """Participations and unique persons per value of one dimension, largest first."""
    dim = DIMENSIONS[dimension]
    cells = cells or report_cells(filters)
    section = cells.section(dimension)
    resolved = dim.resolve(list(section), cells)
    result = []
    for cell_key, cell in section.items():
        key, label = resolved[cell_key]
        result.append(
            {
                "key": key,
                "label": label,
                "participations": cell["participations"],
                "unique_persons": cell["persons"],
                "double_counting_factor": double_counting(cell["participations"], cell["persons"]),
            }
        )
    if dim.order_by_key:
        # Missing keys (no indicator, no date) go last.
        result.sort(key=lambda r: (r["key"] is None, r["key"] if r["key"] is not None else 0))
    else:
        result.sort(key=lambda r: (-r["participations"], r["label"]))
    return result


def pending_merges(*, filters: ReportFilters) -> int:
    """How many persons fewer there would be if every pending review pair were confirmed.

    The pending pairs are few next to the registry, so their ids are read and joined with a
    union-find here: persons connected through pending pairs would become one. A union that
    would put together two persons a reviewer already judged different is not made (the
    review would refuse that merge). Only pairs whose two persons both took part in a
    filtered training reduce the count: merging someone in scope with someone outside it
    leaves one person in scope either way.
    """
    # Only active persons have counted facts, so a pair with a merged or cancelled person
    # falls out below without joining the persons here.
    pending_pairs = DuplicateCandidate.objects.filter(decision=Decision.PENDING)
    pending = list(pending_pairs.order_by("-score", "id").values_list("person_a_id", "person_b_id"))
    if not pending:
        return 0
    # A subquery rather than a list of ids: thousands of bound ids cost more to send and
    # plan than the database's work.
    sides = (
        pending_pairs.order_by()
        .values("person_a_id")
        .union(pending_pairs.order_by().values("person_b_id"), all=True)
    )
    in_scope = set(
        facts_matching(filters)
        .filter(person_id__in=sides)
        .values_list("person_id", flat=True)
        .distinct()
    )
    cannot: dict[int, set[int]] = {}
    # Pairs judged different are few (each is a reviewer's decision); the review's own
    # reading of them, onto the active persons they stand for today.
    _, different = review_constraints()
    for a, b in different:
        if a in in_scope and b in in_scope:
            cannot.setdefault(a, set()).add(b)
            cannot.setdefault(b, set()).add(a)
    return _count_unions(((a, b) for a, b in pending if a in in_scope and b in in_scope), cannot)


def _count_unions(pairs: Iterable[tuple[int, int]], cannot: dict[int, set[int]]) -> int:
    parent: dict[int, int] = {}
    members: dict[int, set[int]] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        members.setdefault(x, {x})
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    unions = 0
    for a, b in pairs:
        root_a, root_b = find(a), find(b)
        if root_a == root_b:
            continue
        if len(members[root_a]) > len(members[root_b]):
            root_a, root_b = root_b, root_a
        if any(find(other) == root_b for m in members[root_a] for other in cannot.get(m, ())):
            continue
        parent[root_a] = root_b
        members[root_b] |= members.pop(root_a)
        unions += 1
    return unions
