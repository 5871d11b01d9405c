"""Compute and store a report snapshot now, so that no analyst waits for it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from registry.reports.filters import add_filter_arguments, filters_from_options
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
        filters = filters_from_options(options)
        cached = report_snapshot_refresh(filters=filters)
        scope = filters.querystring() or "sin filtros"
        self.stdout.write(
            f"Informe ({scope}) calculado y guardado: {cached.report['unique_persons']} "
            f"personas únicas, {cached.report['participations']} participaciones."
        )
