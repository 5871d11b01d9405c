from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.reference_data import load_reference_data

# The parts of registry.reference_data, as the output names them.
PART_NAMES = {
    "regions": "regiones",
    "institutions": "instituciones",
    "roles": "cargos",
    "schools": "escuelas y socios",
    "indicators": "indicadores",
    "courses": "cursos",
}


class Command(BaseCommand):
    help = "Carga o actualiza regiones, instituciones, cargos, indicadores, escuelas y cursos."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data(apps)
        summary = ", ".join(f"{n} {PART_NAMES.get(name, name)}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Datos de referencia cargados: {summary}."))
