from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from registry.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Load or refresh regions, institutions, roles, indicators, schools and courses."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = load_reference_data(apps)
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}."))
