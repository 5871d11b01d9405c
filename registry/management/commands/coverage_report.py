"""Print the coverage, pre/post, indicator and completeness figures as JSON or CSV."""

from __future__ import annotations

import csv
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.reports.filters import FilterError, ReportFilters, add_filter_arguments
from registry.reports.selectors import report_build
from registry.reports.tables import TABLES


class Command(BaseCommand):
    help = (
        "Unique persons and participations, repeat participation, pre/post tests, indicators "
        "and data completeness, with the same filters as the dashboard."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            filters = ReportFilters.from_params(options, by_code=True)
        except FilterError as error:
            raise CommandError(str(error)) from error
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
