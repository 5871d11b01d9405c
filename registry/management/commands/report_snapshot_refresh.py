"""Compute and store a report snapshot now, so that no analyst waits for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.reports.filters import FilterError, ReportFilters, add_filter_arguments
from registry.reports.snapshots import report_snapshot_refresh


class Command(BaseCommand):
    help = (
        "Compute the report for the given filters (none: the whole registry) and store it as "
        "the snapshot the dashboard serves until the data changes. The figures themselves "
        "are kept current as data is written; this only saves the first reader the "
        "assembly (or, for filters that are not one stored slice, the computation)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = ReportFilters.from_params(options, by_code=True)
        except FilterError as error:
            raise CommandError(str(error)) from error
        cached = report_snapshot_refresh(filters=filters)
        scope = filters.querystring() or "sin filtros"
        self.stdout.write(
            f"Informe ({scope}) calculado y guardado: {cached.report['unique_persons']} "
            f"personas únicas, {cached.report['participations']} participaciones."
        )
