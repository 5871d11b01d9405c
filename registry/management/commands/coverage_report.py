"""Print the coverage, pre/post, indicator and completeness figures as JSON or CSV, or write
the informe de indicadores as an XLSX workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from participants.masking import spellings_masked
from registry.reports.disclosure.publish import report_withheld, suppression_of
from registry.reports.disclosure.statement import suppression_statement
from registry.reports.download_audit import command_download_record
from registry.reports.filter_names import report_named
from registry.reports.filters import ReportFilters, add_filter_arguments, filters_from_options
from registry.reports.indicator_workbook import SHEETS, indicator_workbook
from registry.reports.publication import exact_figures_record
from registry.reports.selectors import report_build
from registry.reports.tables import TABLES
from spreadsheets import CsvWriter


def _for_reader(report: dict[str, Any], filters: ReportFilters, *, exact: bool) -> dict[str, Any]:
    """The report withheld as the dashboard shows it, unless `exact` (audited by the caller);
    the JSON says which under "disclosure" (absent: exact values)."""
    return report if exact else report_withheld(report, filters=filters)


class Command(BaseCommand):
    help = (
        "Personas únicas y participaciones, participación repetida, pre/post-test, indicadores "
        "del marco lógico y completitud de los datos, con los mismos filtros que el panel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--format", choices=["json", "csv"], default="json", help="formato de salida"
        )
        parser.add_argument(
            "--indicator-report",
            metavar="FILE.xlsx",
            help="escribir el informe de indicadores (método, filtros, una hoja por tabla) "
            "en este archivo en lugar de imprimir el informe",
        )
        parser.add_argument(
            "--exactos",
            action="store_true",
            help="valores exactos, sin reservar las cifras pequeñas (queda registrado en la "
            "auditoría; no los publique)",
        )
        add_filter_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        filters = filters_from_options(options)
        exact = bool(options["exactos"])
        if exact:
            exact_figures_record(filters=filters, where="coverage_report")
        if options["indicator_report"]:
            self._indicator_report(filters, Path(options["indicator_report"]), exact=exact)
            return
        report = _for_reader(report_build(filters=filters), filters, exact=exact)
        rows = sum(len(table.rows(report)) for table in TABLES.values())
        if options["format"] == "json":
            # The tables (the CSV) mask unmapped spellings themselves; the JSON is the raw
            # report, masked here the same way: a spelling may hold a person's name or DNI.
            completeness = report["completeness"]
            completeness["unmapped_spellings"] = spellings_masked(
                completeness["unmapped_spellings"]
            )
            named = report_named(report, filters=filters)
            self.stdout.write(json.dumps(named, ensure_ascii=False, indent=2, default=str))
        else:
            self._csv(report)
        self._audit(options["format"], filters, rows)

    def _csv(self, report: dict[str, Any]) -> None:
        """Every table one after the other, each headed by its name, so that one file holds
        the whole report."""
        self.stdout.ending = ""  # the CSV writer ends its own lines, the BOM has none
        writer = CsvWriter(self.stdout, lineterminator="\r\n")  # type: ignore[arg-type]
        writer.writerow(["# Protección de datos", suppression_statement(suppression_of(report))])
        for table in TABLES.values():
            writer.writerow([f"# {table.file_slug}", table.title])
            writer.writerow([column.header for column in table.columns])
            for row in table.rows(report):
                writer.writerow([row.get(column.key) for column in table.columns])
            writer.writerow([])

    def _indicator_report(self, filters: ReportFilters, path: Path, *, exact: bool) -> None:
        computed_at = timezone.now()
        report = _for_reader(report_build(filters=filters), filters, exact=exact)
        body = indicator_workbook(
            report=report,
            filters=filters,
            computed_at=computed_at,
            disclosure=suppression_statement(suppression_of(report)),
        )
        try:
            path.write_bytes(body)
        except OSError as error:
            raise CommandError(f"No se pudo escribir {path}: {error}") from error
        rows = sum(len(TABLES[name].rows(report)) for name in SHEETS)
        self._audit("xlsx", filters, rows, export="indicator_report")
        self.stdout.write(f"Informe de indicadores escrito en {path}.")

    def _audit(
        self, file_format: str, filters: ReportFilters, rows: int, export: str = "coverage_report"
    ) -> None:
        command_download_record(
            export=export,
            file_format=file_format,
            filters=filters,
            rows=rows,
        )
