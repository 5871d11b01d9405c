"""Recompute the report facts and cells from the registry, apply the pending marks only, or
check the maintained ones."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from registry.models import ReportCell, ReportFact
from registry.reports.cell_sql import CELL_COLUMNS, MEASURES
from registry.reports.maintenance import report_cells_rebuild, report_cells_refresh


def _snapshot() -> tuple[dict[tuple[str, ...], tuple[Any, ...]], int]:
    cells = {}
    for row in ReportCell.objects.values_list(*CELL_COLUMNS):
        values = dict(zip(MEASURES, row[4:], strict=True))
        # Sums of fractions added and subtracted in another order differ in the last bits.
        values["sum_normalised_gain"] = round(values["sum_normalised_gain"], 6)
        cells[row[:4]] = tuple(values.values())
    return cells, ReportFact.objects.count()


class Command(BaseCommand):
    help = (
        "Recalcula todos los hechos y celdas del informe a partir del registro. Las celdas se "
        "mantienen al día solas tras cada escritura del sistema; esto repara tras escribir "
        "datos con los disparadores de la base de datos desactivados. --pending aplica solo "
        "los cambios pendientes (los que dejó una escritura por SQL directo o masiva sin "
        "aviso), y --check comprueba que las celdas coinciden con un recálculo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        modes = parser.add_mutually_exclusive_group()
        modes.add_argument(
            "--check",
            action="store_true",
            help="compara las celdas mantenidas con un recálculo, sin cambiar nada",
        )
        modes.add_argument(
            "--pending",
            action="store_true",
            help=(
                "aplica solo las marcas pendientes de los disparadores (escrituras por SQL "
                "directo o masivas), sin recalcular el resto"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["pending"]:
            persons = report_cells_refresh()
            if not persons:
                self.stdout.write(
                    "No había cambios pendientes: las cifras del informe ya estaban al día."
                )
                return
            counted = "1 persona puesta" if persons == 1 else f"{persons} personas puestas"
            self.stdout.write(
                f"Cambios pendientes aplicados en {time.perf_counter() - started:.1f} s: "
                f"{counted} al día."
            )
            return
        if not options["check"]:
            report_cells_rebuild()
            self.stdout.write(
                f"Hechos e indicadores del informe recalculados en "
                f"{time.perf_counter() - started:.1f} s: {ReportFact.objects.count()} "
                f"participaciones, {ReportCell.objects.count()} celdas."
            )
            return
        report_cells_refresh()
        with transaction.atomic():
            maintained = _snapshot()
            report_cells_rebuild()
            rebuilt = _snapshot()
            transaction.set_rollback(True)  # a check changes nothing
        if maintained != rebuilt:
            differing = set(maintained[0].items()) ^ set(rebuilt[0].items())
            raise CommandError(
                f"Las celdas mantenidas difieren de una reconstrucción en {len(differing)} "
                "valores: ejecute report_cells_rebuild sin --check."
            )
        self.stdout.write(
            f"Las {len(maintained[0])} celdas mantenidas coinciden con una reconstrucción "
            f"({time.perf_counter() - started:.1f} s)."
        )
