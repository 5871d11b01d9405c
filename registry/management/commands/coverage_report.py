"""Print the coverage, pre/post, indicator and completeness figures as JSON or CSV, or write
the informe de indicadores as an XLSX workbook."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from registry.reports.filters import FilterError, ReportFilters, add_filter_arguments
from registry.reports.indicator_workbook import indicator_workbook
from registry.reports.selectors import report_build
from registry.reports.tables import TABLES


class Command(BaseCommand):
    help = (
        "Unique persons and participations, repeat participation, pre/post tests, logframe "
        "indicators and data completeness, with the same filters as the dashboard."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--indicator-report",
            metavar="FILE.xlsx",
            help="write the informe de indicadores (method, filters, one sheet per table) "
            "to this file instead of printing the report",
        )
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = ReportFilters.from_params(options, by_code=True)
        except FilterError as error:
            raise CommandError(str(error)) from error
        if options["indicator_report"]:
            self._indicator_report(filters, Path(options["indicator_report"]))
            return
        report = report_build(filters=filters)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2, default=str))
            return
        # CSV: every table one after the other, each headed by its name, so that one file
        # holds the whole report.
        writer = csv.writer(self.stdout)
        for table in TABLES.values():
            writer.writerow([f"# {table.name}", table.title])
            writer.writerow([column.header for column in table.columns])
            for row in table.rows(report):
                writer.writerow([row.get(column.key) for column in table.columns])
            writer.writerow([])

    def _indicator_report(self, filters: ReportFilters, path: Path) -> None:
        computed_at = timezone.now()
        report = report_build(filters=filters, sections=["indicators"])
        body = indicator_workbook(report=report, filters=filters, computed_at=computed_at)
        try:
            path.write_bytes(body)
        except OSError as error:
            raise CommandError(f"No se pudo escribir {path}: {error}") from error
        self.stdout.write(f"Informe de indicadores escrito en {path}.")
