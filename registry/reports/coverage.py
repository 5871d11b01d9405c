"""Unique persons and participations, overall and by each dimension of the training."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F
from django.db.models.functions import ExtractYear

from participants.models import Decision, DuplicateCandidate, PersonStatus
from registry.reports import labels
from registry.reports.filters import (
    ReportFilters,
    enrollments,
    enrollments_including_cancelled,
)


def double_counting(participations: int, unique_persons: int) -> float | None:
    """Participations per person: how much counting participations overstates people."""
    return round(participations / unique_persons, 2) if unique_persons else None


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str
    key: Any  # a field path or an expression on Enrollment
    label_fields: tuple[str, ...]  # field paths read in the same query to label the key
    label_of: Callable[..., str]  # (key, *label_fields) -> label
    order_by_key: bool = False


def _plain(key: Any, label: Any) -> str:
    return labels.MISSING if key is None else str(label)


def _cohort(key: Any, label: Any, course: Any) -> str:
    return f"{course} - {label}"


DIMENSIONS: dict[str, Dimension] = {
    dimension.name: dimension
    for dimension in [
        Dimension("sex", "Sexo", F("person__sex"), (), lambda k: labels.SEX_LABELS.get(k, k)),
        Dimension(
            "institution", "Institución", F("institution_id"), ("institution__acronym",), _plain
        ),
        Dimension("role", "Cargo", F("role_id"), ("role__name",), _plain),
        Dimension("region", "Región", F("region_id"), ("region__name",), _plain),
        Dimension("course", "Curso", F("cohort__course_id"), ("cohort__course__title",), _plain),
        Dimension(
            "component",
            "Componente",
            F("cohort__course__component"),
            (),
            lambda k: labels.COMPONENT_LABELS.get(k, k),
        ),
        Dimension(
            "indicator",
            "Indicador",
            F("cohort__course__indicators__code"),
            (),
            lambda k: labels.NO_INDICATOR if k is None else k,
            order_by_key=True,
        ),
        Dimension(
            "year",
            "Año",
            ExtractYear("cohort__start_date"),
            (),
            lambda k: labels.NO_YEAR if k is None else str(k),
            order_by_key=True,
        ),
        Dimension(
            "cohort",
            "Cohorte",
            F("cohort_id"),
            ("cohort__label", "cohort__course__title"),
            _cohort,
        ),
        Dimension(
            "provider",
            "Proveedor",
            F("cohort__course__provider"),
            (),
            lambda k: k or labels.MISSING,
        ),
    ]
}


def coverage_totals(*, filters: ReportFilters) -> dict[str, Any]:
    """The headline figures.

    `participations` counts the participations of active persons, so that it and
    `unique_persons` describe the same people and their ratio is the double-counting factor.
    `participations_including_cancelled` adds the participations of persons cancelled at
    their request: the anonymised total that must remain after a cancellation.
    """
    totals = enrollments(filters).aggregate(
        participations=Count("id"), unique_persons=Count("person_id", distinct=True)
    )
    total_all = enrollments_including_cancelled(filters).count()
    unique = totals["unique_persons"]
    if_confirmed = unique - pending_merges(filters=filters)
    return {
        "participations": totals["participations"],
        "participations_including_cancelled": total_all,
        "unique_persons": unique,
        "unique_persons_if_reviews_confirmed": if_confirmed,
        "double_counting_factor": double_counting(totals["participations"], unique),
    }


def coverage_by(*, filters: ReportFilters, dimension: str) -> list[dict[str, Any]]:
    """Participations and unique persons per value of one dimension, largest first."""
    dim = DIMENSIONS[dimension]
    value_fields = ["k", *dim.label_fields]
    rows = (
        enrollments(filters)
        .annotate(k=dim.key)
        .values(*value_fields)
        .annotate(participations=Count("id"), unique_persons=Count("person_id", distinct=True))
        .order_by()
    )
    result = [
        {
            "key": row["k"],
            "label": dim.label_of(row["k"], *(row[f] for f in dim.label_fields)),
            "participations": row["participations"],
            "unique_persons": row["unique_persons"],
            "double_counting_factor": double_counting(row["participations"], row["unique_persons"]),
        }
        for row in rows
    ]
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
    pending = list(
        DuplicateCandidate.objects.filter(
            decision=Decision.PENDING,
            person_a__status=PersonStatus.ACTIVE,
            person_b__status=PersonStatus.ACTIVE,
        )
        .order_by("-score", "id")
        .values_list("person_a_id", "person_b_id")
    )
    if not pending:
        return 0
    involved = {person for pair in pending for person in pair}
    in_scope = _persons_in_scope(filters, involved)
    cannot: dict[int, set[int]] = {}
    for a, b in DuplicateCandidate.objects.filter(
        decision=Decision.DIFFERENT, person_a_id__in=in_scope, person_b_id__in=in_scope
    ).values_list("person_a_id", "person_b_id"):
        cannot.setdefault(a, set()).add(b)
        cannot.setdefault(b, set()).add(a)
    return _count_unions(((a, b) for a, b in pending if a in in_scope and b in in_scope), cannot)


def _persons_in_scope(filters: ReportFilters, persons: set[int]) -> set[int]:
    found: set[int] = set()
    ids = sorted(persons)
    # Chunks keep the IN list under SQLite's limit on query parameters.
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        found.update(
            enrollments(filters)
            .filter(person_id__in=chunk)
            .values_list("person_id", flat=True)
            .distinct()
        )
    return found


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
