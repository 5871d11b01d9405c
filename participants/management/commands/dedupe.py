from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from participants.dedupe import registry_dedupe
from participants.models import Person


class Command(BaseCommand):
    help = (
        "Reexamina todo el registro con el motor de enlace sobre todos los registros de "
        "identidad: reajusta el modelo, fusiona (de forma reversible) las personas que enlaza "
        "automáticamente y deja en la cola los posibles duplicados y las personas a separar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be merged and queued"
        )
        parser.add_argument("--user", help="username recorded as the author of the merges")
        parser.add_argument(
            "--show", type=int, default=20, help="groups to list (default 20; 0 for none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"unknown user '{options['user']}'") from error
        started = time.perf_counter()
        report = registry_dedupe(dry_run=options["dry_run"], actor=actor)
        elapsed = time.perf_counter() - started
        prefix = "[simulación] " if options["dry_run"] else ""
        self.stdout.write(f"{prefix}Modelo de enlace: {report.model_label}.")
        self.stdout.write(
            f"{prefix}{report.persons} personas activas ({report.records} descripciones "
            f"distintas en sus registros), {report.candidate_pairs} pares "
            f"comparados, {report.auto_link_pairs} enlaces automáticos, "
            f"{report.review_pairs} pares para revisión ({elapsed:.1f} s)."
        )
        verb = "se fusionarían" if options["dry_run"] else "fusionadas"
        self.stdout.write(
            f"{len(report.groups)} grupos: {report.persons_to_merge} personas {verb} "
            f"en su registro más antiguo."
        )
        shown = report.groups[: options["show"]]
        codes = dict(
            Person.objects.filter(pk__in=[pid for g in shown for pid in g]).values_list(
                "pk", "code"
            )
        )
        for group in shown:
            self.stdout.write("  " + " <- ".join(codes.get(pid, str(pid)) for pid in group))
        if not options["dry_run"]:
            self.stdout.write(
                f"{report.merged} fusiones hechas; {report.queued} pares nuevos en la cola."
            )
            self.stdout.write(
                f"{report.split_suspects} personas con DNI incompatibles en sus registros: "
                "en la cola para separarlas o confirmarlas."
            )
            for reason in report.refused:
                self.stdout.write(f"  no fusionado: {reason}")
