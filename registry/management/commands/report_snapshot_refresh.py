"""Compute and store a report snapshot now, so that no analyst waits for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry.reports.filters import FilterError, ReportFilters, add_filter_arguments
from registry.reports.snapshots import report_snapshot_refresh


class Command(BaseCommand):
    help = (
        "Calcula el informe para los filtros dados (sin filtros: todo el registro) y lo guarda "
        "como la instantánea que el tablero muestra hasta que los datos cambien. Las cifras se "
        "mantienen al día al escribir los datos; esto solo ahorra al primer lector el armado "
        "(o, para filtros que no son un corte guardado, el cálculo)."
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
