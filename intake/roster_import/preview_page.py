"""One page of an import preview: the summary first, then one outcome's rows, 100 at a time.

A back-fill of thousands of rows must not become one endless page: the rows are grouped by
outcome (the ones that need attention first) and paged; the page and the group are GET
parameters over the preview kept by `previews`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from intake.roster_import import report as outcomes

PAGE_SIZE = 100
# What needs the reader's attention comes first.
OUTCOME_ORDER = (
    outcomes.REJECTED,
    outcomes.REVIEW,
    outcomes.REPEATED,
    outcomes.LINKED,
    outcomes.NEW,
    outcomes.SKIPPED,
)


@dataclass
class OutcomeGroup:
    outcome: str
    label: str
    count: int
    selected: bool


@dataclass
class PreviewPage:
    groups: list[OutcomeGroup]
    outcome: str  # the group shown, "" when the preview has no rows
    label: str
    page: Page | None


def preview_page(
    *, preview: dict[str, Any], outcome: str | None = None, page: str | int | None = 1
) -> PreviewPage:
    """The groups with their counts and the asked page of the asked (or first) group."""
    counts = preview.get("counts", {})
    present = [key for key in OUTCOME_ORDER if counts.get(key)]
    if outcome not in present:
        outcome = present[0] if present else ""
    groups = [
        OutcomeGroup(key, outcomes.OUTCOME_LABELS[key], counts[key], key == outcome)
        for key in present
    ]
    if not outcome:
        return PreviewPage(groups, "", "", None)
    rows = [row for row in preview.get("rows", []) if row["outcome"] == outcome]
    return PreviewPage(
        groups,
        outcome,
        outcomes.OUTCOME_LABELS[outcome],
        Paginator(rows, PAGE_SIZE).get_page(page),
    )
