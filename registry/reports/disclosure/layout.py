"""The report's published counts as cells, and the sums that tie them
(for `exact_check.protect_exactly`).

What a reader of the dashboard or its downloads can add up, table by table:
- each coverage table's participations add up to the total participations, and (by sex, a
  person's own) its persons to the unique persons; elsewhere a person may be in several rows,
  so the rows' persons add up to at least the total;
- a course's cohorts add up to the course, a component's or a provider's courses to it, a
  year's cohorts to the year;
- the repeat-participation buckets add up to the unique persons;
- the pre/post counts by course and by cohort add up to the overall ones, a course's cohorts
  to the course;
- an output indicator's rows by sex, institution or region add up to the indicator's row.
Output and knowledge indicators may share courses, so their rows are not sums of anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry.reports.disclosure.engine import AtMost, Cell, Relation, Sum, unit

# Derived figures, each withheld when one of the counts it is computed from is.
COVERAGE_DERIVED = {"double_counting_factor": ("participations", "unique_persons")}
PRE_POST_COUNTS = ("enrollments", "with_pre", "with_post", "with_both")
# A mean or share of scores, and the count of scores it is computed from: computed from
# fewer than k it is not shown, whatever the count's own mark.
PRE_POST_MEANS = {
    "mean_pre_pct": "with_pre",
    "mean_post_pct": "with_post",
    "knowledge_increase_pct": "with_both",
    "mean_gain_points": "with_both",
    "improved_pct": "with_both",
    "normalised_gain": "with_both",
}
KNOWLEDGE_MEANS = ("registry_value", "mean_pre_pct", "mean_post_pct", "registry_pct_of_target")
PRE_POST_DERIVED = {"paired_coverage_pct": ("with_both", "enrollments")}


Path = tuple[str | int, ...]


@dataclass
class Place:
    row: dict[str, Any]
    key: str
    path: Path  # where the row is in the report: ("by_region", 3), ("pre_post", "overall")


@dataclass
class Layout:
    cells: list[Cell] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    places: dict[Cell, Place] = field(default_factory=dict)
    # (row, key, the cells it is computed from): withheld with any of them.
    derived: list[tuple[dict[str, Any], str, list[Cell]]] = field(default_factory=list)
    # (row, key, the count of scores): not shown when that count is under its k.
    means: list[tuple[dict[str, Any], str, Cell]] = field(default_factory=list)

    _differences: dict[tuple[int, int], Cell] = field(default_factory=dict)

    def difference(self, low: Cell | None, high: Cell | None) -> Cell | None:
        """`high` - `low`, which the tables do not print but a reader works out (a row's
        participations beyond one per person), tied to them by `high` = `low` + it."""
        if low is None or high is None:
            return None
        key = (id(low), id(high))
        if key not in self._differences:
            cell = Cell(
                value=high.value - low.value,
                k=high.k,
                label=f"{high.label}-{low.label}",
                published=False,
                of=(low, high),
            )
            self.relations.append(Sum(high, [low, cell], exact=True))
            self._differences[key] = cell
        return self._differences[key]

    def count(self, row: dict[str, Any], key: str, k: int, path: Path) -> Cell | None:
        value = row.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        cell = Cell(value=value, k=k, label=".".join(str(p) for p in (*path, key)))
        self.cells.append(cell)
        self.places[cell] = Place(row, key, path)
        return cell


@dataclass(frozen=True)
class Scope:
    """Which rows are sensitive (their k is the higher one) and how to nest them."""

    k: int
    sensitive_k: int
    whole_report_sensitive: bool
    sensitive_courses: frozenset[int]
    sensitive_cohorts: frozenset[int]
    sensitive_codes: frozenset[str]
    cohort_course: dict[int, int]
    cohort_year: dict[int, int | None]
    course_component: dict[int, str]
    course_provider: dict[int, str]

    def k_for(self, sensitive: bool) -> int:
        return self.sensitive_k if sensitive or self.whole_report_sensitive else self.k


def report_layout(report: dict[str, Any], scope: Scope) -> Layout:
    layout = Layout()
    totals = _summary(report, scope, layout)
    coverage: dict[str, list[tuple[dict[str, Any], Cell | None, Cell | None]]] = {}
    for name, rows in report.items():
        if name.startswith("by_") and isinstance(rows, list):
            coverage[name] = _coverage(name, rows, totals, scope, layout)
    _nestings(coverage, scope, layout)
    if "repeat_participation" in report:
        _repeat(report, totals, scope, layout)
    if "course_sequences" in report:
        for n, row in enumerate(report["course_sequences"]):
            sensitive = any(i in scope.sensitive_courses for i in row.get("course_ids") or [])
            layout.count(row, "persons", scope.k_for(sensitive), ("course_sequences", n))
    if "pre_post" in report:
        _pre_post(report["pre_post"], totals, scope, layout)
    if "indicators" in report:
        _indicators(report["indicators"], scope, layout)
    if "completeness" in report:
        _completeness_totals(report["completeness"], totals, scope, layout)
        for n, row in enumerate(report["completeness"].get("unmapped_spellings") or []):
            layout.count(row, "enrollments", scope.k, ("completeness", "unmapped_spellings", n))
    _totals_take_their_members_threshold(layout)
    return layout


def _completeness_totals(
    section: dict[str, Any], totals: dict[str, Cell | None], scope: Scope, layout: Layout
) -> None:
    """The completeness section restates the persons and enrollments in scope: the same
    figures as the summary's, shown and withheld with them."""
    for key, same in (("persons", "unique_persons"), ("enrollments", "participations")):
        cell = layout.count(section, key, scope.k_for(False), ("completeness",))
        twin = totals.get(same)
        if cell is not None and twin is not None:
            unit([cell, twin])
            layout.relations.append(Sum(twin, [cell], exact=True))


def _totals_take_their_members_threshold(layout: Layout) -> None:
    """A total that holds a sensitive course's row is held to its threshold too: marked "x"
    at the lower one, it would tell a reader that the sensitive row within is at least that
    (a provider whose only course is a survivors' course, "x" for at least 5)."""
    if len({cell.k for cell in layout.cells}) < 2:
        return  # one threshold throughout (no sensitive course in scope): nothing to raise
    changed = True
    while changed:
        changed = False
        for relation in layout.relations:
            if not isinstance(relation, Sum):
                continue
            highest = max((m.k for m in relation.members if m.published), default=0)
            if relation.total.published and highest > relation.total.k:
                relation.total.k = highest
                changed = True
            # A figure restated elsewhere (the completeness section's persons) is the same
            # figure: it takes its twin's threshold.
            (twin, *others) = relation.members
            if relation.exact and not others and twin.published and twin.k < relation.total.k:
                twin.k = relation.total.k
                changed = True


def _summary(report: dict[str, Any], scope: Scope, layout: Layout) -> dict[str, Cell | None]:
    if "participations" not in report:
        return {}
    k = scope.k_for(False)
    cells = {
        key: layout.count(report, key, k, ())
        for key in (
            "participations",
            "participations_including_cancelled",
            "unique_persons",
            "unique_persons_if_reviews_confirmed",
        )
    }
    _at_most(layout, cells["unique_persons"], cells["participations"])
    _at_most(layout, cells["participations"], cells["participations_including_cancelled"])
    _at_most(layout, cells["unique_persons_if_reviews_confirmed"], cells["unique_persons"])
    layout.derived.append(
        (
            report,
            "double_counting_factor",
            [c for c in (cells["participations"], cells["unique_persons"]) if c],
        )
    )
    return cells


def _at_most(layout: Layout, low: Cell | None, high: Cell | None) -> None:
    if low is not None and high is not None:
        layout.relations.append(AtMost(low, high))


def _row_sensitive(name: str, row: dict[str, Any], scope: Scope) -> bool:
    key = row.get("key")
    if name.endswith("course"):
        return key in scope.sensitive_courses
    if name.endswith("cohort"):
        return key in scope.sensitive_cohorts
    return False


def _participations_and_persons(
    layout: Layout, row: dict[str, Any], k: int, path: Path
) -> tuple[Cell | None, Cell | None]:
    """A row's participations and persons, withheld together (persons never exceed
    participations), and its participations per person, withheld with either."""
    participations = layout.count(row, "participations", k, path)
    persons = layout.count(row, "unique_persons", k, path)
    counts = [c for c in (participations, persons) if c]
    unit(counts)
    _at_most(layout, persons, participations)
    layout.derived.append((row, "double_counting_factor", counts))
    return participations, persons


def _coverage(
    name: str,
    rows: list[dict[str, Any]],
    totals: dict[str, Cell | None],
    scope: Scope,
    layout: Layout,
) -> list[tuple[dict[str, Any], Cell | None, Cell | None]]:
    found = []
    for n, row in enumerate(rows):
        k = scope.k_for(_row_sensitive(name, row, scope))
        participations, persons = _participations_and_persons(layout, row, k, (name, n))
        found.append((row, participations, persons))
    _paired_sums(
        layout,
        (totals.get("unique_persons"), totals.get("participations")),
        [(u, p) for _, p, u in found],
        low_exact=name == "by_sex",
    )
    return found


def _sum(
    layout: Layout,
    total: Cell | None,
    members: list[Cell | None],
    *,
    exact: bool,
    at_least: bool = False,
) -> None:
    present = [m for m in members if m is not None]
    if total is not None and present:
        layout.relations.append(Sum(total, present, exact=exact, at_least=at_least))


def _paired_sums(
    layout: Layout,
    totals: tuple[Cell | None, Cell | None],
    rows: list[tuple[Cell | None, Cell | None]],
    *,
    low_exact: bool,
) -> None:
    """Rows of (low, high) counts, low <= high in each (persons and participations), whose
    highs add up to the high total and whose lows add up to (`low_exact`) or to at least the
    low total. The differences are tied too: they add up to (or to at most) the totals'
    difference, which is how a reader couples the two columns."""
    low_total, high_total = totals
    _sum(layout, high_total, [high for _, high in rows], exact=True)
    _sum(layout, low_total, [low for low, _ in rows], exact=low_exact)
    differences = [layout.difference(low, high) for low, high in rows]
    _sum(
        layout,
        layout.difference(low_total, high_total),
        differences,
        exact=low_exact,
        at_least=not low_exact,
    )


def _nestings(
    coverage: dict[str, list[tuple[dict[str, Any], Cell | None, Cell | None]]],
    scope: Scope,
    layout: Layout,
) -> None:
    """A course's cohorts add up to it; a component's, a provider's courses; a year's cohorts."""
    nestings: list[tuple[str, str, Callable[[Any], Any]]] = [
        ("by_cohort", "by_course", scope.cohort_course.get),
        ("by_cohort", "by_year", scope.cohort_year.get),
        ("by_course", "by_component", scope.course_component.get),
        ("by_course", "by_provider", scope.course_provider.get),
    ]
    for inner, outer, parent_of in nestings:
        if inner not in coverage or outer not in coverage:
            continue
        parents = {row.get("key"): (p, u) for row, p, u in coverage[outer]}
        children: dict[Any, list[tuple[Cell | None, Cell | None]]] = {}
        for row, p, u in coverage[inner]:
            children.setdefault(parent_of(row.get("key")), []).append((p, u))
        for parent_key, members in children.items():
            if parent_key not in parents:
                continue
            total_p, total_u = parents[parent_key]
            _paired_sums(layout, (total_u, total_p), [(u, p) for p, u in members], low_exact=False)


def _repeat(
    report: dict[str, Any], totals: dict[str, Cell | None], scope: Scope, layout: Layout
) -> None:
    buckets = []
    for n, row in enumerate(report["repeat_participation"]):
        persons = layout.count(row, "persons", scope.k_for(False), ("repeat_participation", n))
        layout.derived.append((row, "share_pct", [persons] if persons else []))
        buckets.append(persons)
    _sum(layout, totals.get("unique_persons"), buckets, exact=True)


def _pre_post_row(
    row: dict[str, Any], k: int, path: Path, layout: Layout
) -> dict[str, Cell | None]:
    cells = {key: layout.count(row, key, k, path) for key in PRE_POST_COUNTS}
    for key in ("with_pre", "with_post", "with_both"):
        _at_most(layout, cells[key], cells["enrollments"])
    _at_most(layout, cells["with_both"], cells["with_pre"])
    _at_most(layout, cells["with_both"], cells["with_post"])
    for key, base in PRE_POST_MEANS.items():
        if cells[base] is not None:
            layout.means.append((row, key, cells[base]))  # type: ignore[arg-type]
    for key, sources in PRE_POST_DERIVED.items():
        layout.derived.append((row, key, [c for s in sources if (c := cells[s])]))
    return cells


def _pre_post(
    section: dict[str, Any], totals: dict[str, Cell | None], scope: Scope, layout: Layout
) -> None:
    overall = _pre_post_row(section["overall"], scope.k_for(False), ("pre_post", "overall"), layout)
    # The overall enrollments are the participations the summary counts.
    _sum(layout, totals.get("participations"), [overall["enrollments"]], exact=True)
    twin, enrollments = totals.get("participations"), overall["enrollments"]
    if twin is not None and enrollments is not None:
        unit([twin, enrollments])
    by: dict[str, list[tuple[dict[str, Any], dict[str, Cell | None]]]] = {}
    for group in ("course", "cohort", "knowledge"):
        rows = section.get(f"by_{group}") or []
        found = []
        for n, row in enumerate(rows):
            key = row.get("key")
            sensitive = (
                (group == "course" and key in scope.sensitive_courses)
                or (group == "cohort" and key in scope.sensitive_cohorts)
                or (group == "knowledge" and key in scope.sensitive_codes)
            )
            path = ("pre_post", f"by_{group}", n)
            found.append((row, _pre_post_row(row, scope.k_for(sensitive), path, layout)))
        by[group] = found
    for group in ("course", "cohort"):
        _pre_post_sums(layout, overall, [cells for _, cells in by[group]])
    courses = {row.get("key"): cells for row, cells in by["course"]}
    nested: dict[Any, list[dict[str, Cell | None]]] = {}
    for row, cells in by["cohort"]:
        nested.setdefault(scope.cohort_course.get(row.get("key") or 0), []).append(cells)
    for course, members in nested.items():
        if course in courses:
            _pre_post_sums(layout, courses[course], members)


# The pre/post counts that never exceed another in the same row.
PRE_POST_ORDER = (
    ("with_both", "with_pre"),
    ("with_both", "with_post"),
    ("with_pre", "enrollments"),
    ("with_post", "enrollments"),
)


def _pre_post_sums(
    layout: Layout, total: dict[str, Cell | None], members: list[dict[str, Cell | None]]
) -> None:
    for low, high in PRE_POST_ORDER:
        _paired_sums(
            layout,
            (total[low], total[high]),
            [(m[low], m[high]) for m in members],
            low_exact=True,
        )


def _indicators(section: dict[str, Any], scope: Scope, layout: Layout) -> None:
    by_code: dict[str, tuple[Cell | None, Cell | None]] = {}
    rows: list[tuple[Path, dict[str, Any]]] = [
        (("indicators", "outputs", n), row) for n, row in enumerate(section.get("outputs", []))
    ]
    if section.get("outputs_total"):
        rows.append((("indicators", "outputs_total"), section["outputs_total"]))
    for path, row in rows:
        k = scope.k_for(row.get("code") in scope.sensitive_codes)
        participations, persons = _participations_and_persons(layout, row, k, path)
        layout.derived.append(
            (row, "registry_pct_of_reported", [participations] if participations else [])
        )
        layout.derived.append(
            (row, "estimated_persons_in_reported", [c for c in (participations, persons) if c])
        )
        if row is not section.get("outputs_total"):
            by_code[row.get("code", "")] = (participations, persons)
    for breakdown in ("sex", "institution", "region"):
        members: dict[str, list[tuple[Cell | None, Cell | None]]] = {}
        for n, row in enumerate(section.get(f"outputs_by_{breakdown}") or []):
            code = row.get("code", "")
            k = scope.k_for(code in scope.sensitive_codes)
            path = ("indicators", f"outputs_by_{breakdown}", n)
            participations, persons = _participations_and_persons(layout, row, k, path)
            members.setdefault(code, []).append((participations, persons))
        for code, found in members.items():
            if code in by_code:
                total_p, total_u = by_code[code]
                _paired_sums(
                    layout,
                    (total_u, total_p),
                    [(u, p) for p, u in found],
                    low_exact=breakdown == "sex",
                )
    for n, row in enumerate(section.get("knowledge") or []):
        k = scope.k_for(row.get("code") in scope.sensitive_codes)
        path = ("indicators", "knowledge", n)
        counts = {
            key: layout.count(row, key, k, path)
            for key in ("enrollments", "with_both", "persons_paired")
        }
        if counts["with_both"] is not None:
            for key in KNOWLEDGE_MEANS:
                layout.means.append((row, key, counts["with_both"]))
        layout.derived.append(
            (
                row,
                "paired_coverage_pct",
                [c for c in (counts["with_both"], counts["enrollments"]) if c],
            )
        )
        layout.derived.append(
            (row, "registry_pct_of_target", [c for c in (counts["with_both"],) if c])
        )
