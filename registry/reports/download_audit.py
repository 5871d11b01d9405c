"""Every report download is written to the audit log: who, which export, which filters,
which format and how many rows. The filters are vocabulary ids, dates and a provider name;
no cell of the file is logged, so the log holds no personal data."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from audit.models import AuditAction, AuditEvent
from audit.services import COMMAND_LINE, audit_record
from registry.reports.filters import ReportFilters


def report_download_record(
    *,
    request: HttpRequest | None,
    export: str,
    file_format: str,
    filters: ReportFilters,
    rows: int,
    actor: Any = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append the export event (from a web download, or a command when `request` is None)."""
    return audit_record(
        actor=request.user if request is not None else actor,
        actor_username=actor_username,
        action=AuditAction.EXPORT,
        details={
            "export": export,
            "format": file_format,
            "filters": filters.as_params(),
            "rows": rows,
        },
        request=request,
    )


def command_download_record(
    *, export: str, file_format: str, filters: ReportFilters, rows: int
) -> AuditEvent:
    """Append the export event of a report command, authored by the command line."""
    return report_download_record(
        request=None,
        actor_username=COMMAND_LINE,
        export=export,
        file_format=file_format,
        filters=filters,
        rows=rows,
    )
