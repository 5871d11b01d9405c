from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from formats.numbers import number_shown
from participants.models import Person
from review.dedupe import DedupeReport, PairFound, registry_dedupe


def _probability(pair: PairFound) -> str:
    # Three places: the automatic-link threshold (0.996) must be told apart from 1.
    return number_shown(pair.probability, decimals=3)


def _masked(dni: str) -> str:
    """The last four digits: enough to tell the DNIs apart, not to copy one into a log."""
    return "••••" + dni[-4:]


class Command(BaseCommand):
    help = (
        "Reexamina todo el registro con el motor de enlace sobre todos los registros de "
        "identidad: reajusta el modelo, fusiona (de forma reversible) las personas que enlaza "
        "automáticamente y deja en la cola los posibles duplicados y las personas a separar."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="solo muestra lo que se fusionaría, lo que iría a revisión y lo que habría que "
            "separar; no cambia nada",
        )
        parser.add_argument(
            "--user", help="usuario que figura como autor de las fusiones en la auditoría"
        )
        parser.add_argument(
            "--show",
            type=int,
            default=20,
            help="casos a listar de cada tipo (fusiones, revisión, separación); 20 por defecto, "
            "0 para ninguno",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["user"]:
            try:
                actor = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist as error:
                raise CommandError(f"No existe el usuario «{options['user']}».") from error
        started = time.perf_counter()
        report = registry_dedupe(dry_run=options["dry_run"], actor=actor)
        elapsed = time.perf_counter() - started
        dry_run = options["dry_run"]
        prefix = "[simulación] " if dry_run else ""
        self.stdout.write(f"{prefix}Modelo de enlace: {report.model_label}.")
        self.stdout.write(
            f"{prefix}{number_shown(report.persons)} personas activas "
            f"({number_shown(report.records)} descripciones distintas en sus registros), "
            f"{number_shown(report.candidate_pairs)} pares comparados, "
            f"{number_shown(report.auto_link_pairs)} enlaces automáticos, "
            f"{number_shown(report.review_pairs)} pares para revisión, "
            f"{number_shown(report.split_suspects)} personas a separar "
            f"({number_shown(elapsed, decimals=1)} s)."
        )
        verb = "se fusionarían" if dry_run else "fusionadas"
        self.stdout.write(
            f"{number_shown(len(report.groups))} grupos: "
            f"{number_shown(report.persons_to_merge)} personas {verb} en su registro más antiguo."
        )
        self._list(report, show=max(options["show"], 0), dry_run=dry_run)
        if not dry_run:
            self.stdout.write(
                f"{number_shown(report.merged)} fusiones hechas; "
                f"{number_shown(report.queued)} pares nuevos en la cola."
            )
            self.stdout.write(
                f"{number_shown(report.split_suspects)} personas con DNI incompatibles en sus "
                "registros: en la cola para separarlas o confirmarlas."
            )
            for reason in report.refused:
                self.stdout.write(f"  no fusionado: {reason}")

    def _list(self, report: DedupeReport, *, show: int, dry_run: bool) -> None:
        """Each merge, review pair and split (the first `show` of each), with codes, names,
        probability and reasons, as the review pages show them."""
        merges, reviews = report.merges[:show], report.reviews[:show]
        splits = dict(list(report.splits.items())[:show])
        ids = {m.survivor_id for m in merges} | {m.merged_id for m in merges}
        ids |= {m.pair.left_id for m in merges if m.pair} | {
            m.pair.right_id for m in merges if m.pair
        }
        ids |= {p.left_id for p in reviews} | {p.right_id for p in reviews} | set(splits)
        persons = Person.objects.in_bulk(list(ids))

        def who(pk: int) -> str:
            person = persons.get(pk)
            return f"{person.code} ({person.full_name})" if person else f"#{pk}"

        def code(pk: int) -> str:
            person = persons.get(pk)
            return person.code if person else f"#{pk}"

        if merges:
            self.stdout.write("Fusiones" + (" propuestas:" if dry_run else ":"))
        survivor = None
        for merge in merges:
            if merge.survivor_id != survivor:
                survivor = merge.survivor_id
                self.stdout.write(f"  en {who(survivor)}:")
            line = f"    <- {who(merge.merged_id)}"
            if merge.pair is not None:
                other = (
                    merge.pair.right_id
                    if merge.pair.left_id == merge.merged_id
                    else merge.pair.left_id
                )
                line += f": probabilidad {_probability(merge.pair)} con {code(other)}"
                if merge.pair.reasons:
                    line += f"; {merge.pair.reasons}"
            self.stdout.write(line)
        self._more(len(report.merges) - len(merges))
        if reviews:
            self.stdout.write("Pares para revisión (el más probable primero):")
        for pair in reviews:
            line = (
                f"  {who(pair.left_id)} ~ {who(pair.right_id)}: probabilidad {_probability(pair)}"
            )
            self.stdout.write(line + (f"; {pair.reasons}" if pair.reasons else ""))
        self._more(len(report.reviews) - len(reviews))
        if splits:
            self.stdout.write("Personas a separar (DNI que no difieren en un error de tipeo):")
        for pk, dnis in splits.items():
            self.stdout.write(f"  {who(pk)}: DNI {', '.join(_masked(dni) for dni in dnis)}")
        self._more(len(report.splits) - len(splits))

    def _more(self, hidden: int) -> None:
        if hidden > 0:
            self.stdout.write(f"  … y {number_shown(hidden)} más (use --show para ver más).")
