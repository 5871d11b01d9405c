"""Which figures a reader of the reports receives: small counts withheld
(`registry.reports.disclosure`), or, for a registry administrator who asks, the exact
values, each such reading written to the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest

from accounts.access.user_scope import is_registry_admin
from audit.models import AuditAction
from audit.services import COMMAND_LINE, audit_record
from registry.reports.disclosure.publish import Suppression, report_withheld, suppression_of
from registry.reports.filters import ReportFilters
from registry.reports.snapshots import report_snapshot_fetch

# The query parameter of the dashboard and the downloads that asks for exact values.
EXACT_PARAMETER = "exactos"


@dataclass(frozen=True)
class ReaderReport:
    report: dict[str, Any]
    computed_at: datetime
    suppression: Suppression | None  # None: the exact values


def wants_exact(request: HttpRequest) -> bool:
    """Whether the request asks for exact values and may have them (administrators only)."""
    return request.GET.get(EXACT_PARAMETER) == "1" and is_registry_admin(request.user)


def report_for_reader(*, filters: ReportFilters, exact: bool = False) -> ReaderReport:
    """The report for these filters, withheld unless `exact` (the caller checked the reader
    may have it, and records it with `exact_figures_record`)."""
    cached = report_snapshot_fetch(filters=filters)
    if exact:
        return ReaderReport(cached.report, cached.computed_at, None)
    published = cached.published
    if published is None:  # a snapshot stored before its published copy was kept
        published = report_withheld(cached.report, filters=filters)
    return ReaderReport(published, cached.computed_at, suppression_of(published))


def exact_figures_record(
    *, filters: ReportFilters, where: str, request: HttpRequest | None = None
) -> None:
    """Append the audit event of a reading of exact values: who, where, which filters."""
    audit_record(
        actor=request.user if request is not None else None,
        actor_username="" if request is not None else COMMAND_LINE,
        action=AuditAction.EXACT_FIGURES,
        details={"where": where, "filters": filters.as_params()},
        request=request,
    )
