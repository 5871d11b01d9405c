"""The report as a reader who is not shown exact values sees it: small counts withheld as
"< k", the counts withheld to protect them as "x", and what is computed from them withheld
too. Every page, download and command output of the reports goes through here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from courses.models import Cohort, Course, Indicator
from courses.sensitivity import sensitive_course_ids
from followup.results import threshold
from registry.reports.coverage import DIMENSIONS
from registry.reports.disclosure.exact_check import protect_exactly
from registry.reports.disclosure.layout import Layout, Scope, report_layout
from registry.reports.filters import ReportFilters

RESERVED = "x"


def under(k: int) -> str:
    """The mark of a withheld small count. Marks are plain text, so that every writer (page,
    CSV, XLSX, JSON) shows them as they are and a stored report reads back the same."""
    return f"< {k}"


def is_withheld(value: Any) -> bool:
    return isinstance(value, str) and (value == RESERVED or value.startswith("< "))


def sensitive_threshold() -> int:
    return int(getattr(settings, "SENSITIVE_SUPPRESSION_THRESHOLD", 10))


@dataclass(frozen=True)
class Suppression:
    """What was withheld, for the page's legend and the workbook's method sheet."""

    k: int
    sensitive_k: int
    small: int  # counts under their k
    complementary: int  # further counts withheld so that none of those can be worked out
    derived: int  # means, shares and ratios not shown
    exposed: int  # small counts still narrowed by the published sums (0 unless a bug)

    @property
    def any(self) -> bool:
        return bool(self.small or self.complementary or self.derived)

    def as_dict(self) -> dict[str, int]:
        return {
            "k": self.k,
            "sensitive_k": self.sensitive_k,
            "small": self.small,
            "complementary": self.complementary,
            "derived": self.derived,
            "exposed": self.exposed,
        }

    @classmethod
    def from_dict(cls, found: dict[str, int]) -> Suppression:
        return cls(**{name: int(found.get(name, 0)) for name in cls.__dataclass_fields__})


def disclosure_scope(filters: ReportFilters) -> Scope:
    """The thresholds and the nestings of courses and cohorts the report's sums follow."""
    sensitive_courses = frozenset(sensitive_course_ids())
    cohorts = list(Cohort.objects.values_list("pk", "course_id", "start_date"))
    courses = list(Course.objects.values_list("pk", "component", "provider"))
    codes = frozenset(Indicator.objects.filter(sensitive=True).values_list("code", flat=True))
    return Scope(
        k=threshold(),  # the same k as the survey estimates withhold under
        sensitive_k=sensitive_threshold(),
        whole_report_sensitive=filters.course is not None and filters.course in sensitive_courses,
        sensitive_courses=sensitive_courses,
        sensitive_cohorts=frozenset(pk for pk, course, _ in cohorts if course in sensitive_courses),
        sensitive_codes=codes,
        cohort_course={pk: course for pk, course, _ in cohorts},
        cohort_year={pk: start.year if start else None for pk, _, start in cohorts},
        course_component={pk: component for pk, component, _ in courses},
        course_provider={pk: provider for pk, _, provider in courses},
    )


def report_published(
    report: dict[str, Any], *, filters: ReportFilters, scope: Scope | None = None
) -> tuple[dict[str, Any], Suppression]:
    """A copy of `report` with the withheld values replaced by their marks."""
    published = _copied(report)
    scope = scope or disclosure_scope(filters)
    layout = report_layout(published, scope)
    exposed = protect_exactly(layout.cells, layout.relations)
    suppression = _apply(layout, scope, exposed)
    _withheld_rows_unranked(published)
    return published, suppression


def _copied(value: Any) -> Any:
    """A copy of a report's dicts and lists (its leaves, numbers and text, are immutable):
    several times faster than `copy.deepcopy`, which a report of 100,000 values makes felt."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


# Where the published report says what was withheld (`Suppression.as_dict`).
DISCLOSURE_KEY = "disclosure"


def report_withheld(report: dict[str, Any], *, filters: ReportFilters) -> dict[str, Any]:
    """The published copy of `report`, with what was withheld under `DISCLOSURE_KEY`."""
    published, suppression = report_published(report, filters=filters)
    published[DISCLOSURE_KEY] = suppression.as_dict()
    return published


def suppression_of(published: dict[str, Any]) -> Suppression | None:
    found = published.get(DISCLOSURE_KEY)
    return Suppression.from_dict(found) if isinstance(found, dict) else None


# The tables listed largest first, as (where the rows are, the field they are ranked by, the
# field grouping them, if any). A withheld row left in its rank would tell its size ("x"
# between the rows of 12 and 11 is 11 or 12): withheld rows go last, by their label.
RANKED = [
    *(
        ((f"by_{name}",), "participations", "")
        for name, d in DIMENSIONS.items()
        if not d.order_by_key
    ),
    (("pre_post", "by_course"), "enrollments", ""),
    (("pre_post", "by_cohort"), "enrollments", ""),
    *(
        (("indicators", f"outputs_by_{name}"), "participations", "code")
        for name in ("sex", "institution", "region")
    ),
    (("completeness", "unmapped_spellings"), "enrollments", "vocabulary"),
    (("course_sequences",), "persons", ""),
]


def _withheld_rows_unranked(report: dict[str, Any]) -> None:
    for path, ranked_by, grouped_by in RANKED:
        found: Any = report
        for step in path:
            found = found.get(step) if isinstance(found, dict) else None
        if not isinstance(found, list):
            continue
        groups: dict[Any, tuple[list[Any], list[Any]]] = {}
        for row in found:
            shown, withheld = groups.setdefault(row.get(grouped_by) if grouped_by else "", ([], []))
            (withheld if is_withheld(row.get(ranked_by)) else shown).append(row)
        found[:] = [
            row
            for shown, withheld in groups.values()
            for row in [
                *shown,
                *sorted(
                    withheld,
                    key=lambda r: str(
                        r.get("label") or r.get("sequence") or r.get("spelling") or ""
                    ),
                ),
            ]
        ]


def _apply(layout: Layout, scope: Scope, exposed: int) -> Suppression:
    small = complementary = derived = 0
    for cell in layout.cells:
        if not cell.hidden:
            continue
        place = layout.places[cell]
        if cell.small:
            small += 1
            place.row[place.key] = under(cell.k)
        else:
            complementary += 1
            place.row[place.key] = RESERVED
    for row, key, sources in layout.derived:
        if row.get(key) is not None and any(c.hidden for c in sources):
            row[key] = RESERVED
            derived += 1
    for row, key, base in layout.means:
        if row.get(key) is not None and not is_withheld(row[key]) and base.value < base.k:
            row[key] = RESERVED
            derived += 1
    return Suppression(
        k=scope.k,
        sensitive_k=scope.sensitive_k,
        small=small,
        complementary=complementary,
        derived=derived,
        exposed=exposed,
    )
