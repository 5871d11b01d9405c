"""Import many roster files listed in a manifest: one batch per file, a summary at the end."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from courses.models import Cohort
from intake.management.commands.import_roster import add_import_options, importing_user
from intake.roster_import import RosterFileError, roster_import
from intake.roster_import import report as outcomes
from intake.roster_import.column_report import column_notices
from intake.roster_import.manifest import ManifestEntry, ManifestError, read_manifest
from intake.roster_import.targets import TargetError, cohort_get_or_create
from participants.changes import changes_batched
from review.dedupe import registry_dedupe

# Imported rows after which the model is refitted and the registry re-examined.
REFIT_AFTER_ROWS = 1_000


class Command(BaseCommand):
    help = (
        "Importa las listas que enumera un CSV de manifiesto "
        "(file, course, cohort, start_date, region)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--manifest", required=True, type=Path)
        add_import_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = Path(options["manifest"])
        if not manifest.is_file():
            raise CommandError(f"{manifest}: el manifiesto no existe")
        try:
            entries = read_manifest(manifest)
        except (ManifestError, RosterFileError) as error:
            raise CommandError(str(error)) from error
        actor = importing_user(options["user"])
        files: Counter[str] = Counter()
        rows: Counter[str] = Counter()
        failures: list[str] = []
        notices: list[str] = []  # columns left unread, files whose tests gave no score
        started = time.perf_counter()
        progress = tqdm(entries, unit="archivo", disable=not self.stdout.isatty(), file=sys.stderr)
        # The report figures are brought up to date once, after the last file.
        with changes_batched():
            for entry in progress:
                try:
                    report = self._import_one(entry, actor=actor, options=options)
                except (RosterFileError, TargetError, ValidationError, OSError) as error:
                    files["failed"] += 1
                    failures.append(_one_line(error, entry))
                    continue
                files[report.status] += 1
                notices.extend(
                    column_notices(report.file_name, report.columns, report.column_warnings)
                )
                if report.failed:
                    failures.append(report.summary())
                if report.imported:
                    rows.update(row.outcome for row in report.rows)
            imported_rows = sum(rows[outcome] for outcome in outcomes.IMPORTED_OUTCOMES)
            if not options["dry_run"] and imported_rows >= REFIT_AFTER_ROWS:
                self._reexamine(actor)
        elapsed = time.perf_counter() - started
        self._summary(files, rows, failures, elapsed, dry_run=options["dry_run"])
        for notice in notices:
            self.stdout.write(f"  ! {notice}")
        if not (files[outcomes.STATUS_COMMITTED] or files[outcomes.STATUS_PARTIAL]) and not (
            files[outcomes.STATUS_ALREADY_IMPORTED] or files[outcomes.STATUS_NOTHING_NEW]
        ):
            raise CommandError(f"no se pudo importar ningún archivo de {manifest.name}")

    def _import_one(
        self, entry: ManifestEntry, *, actor: Any, options: dict[str, Any]
    ) -> outcomes.ImportReport:
        with entry.path.open("rb") as handle, transaction.atomic():
            cohort: Cohort
            cohort, _ = cohort_get_or_create(
                course_title=entry.course,
                cohort_label=entry.cohort,
                start_date=entry.start_date,
                region=entry.region,
            )
            report = roster_import(
                file=handle,
                file_name=entry.path.name,
                cohort=cohort,
                actor=actor,
                dry_run=options["dry_run"],
                commit_valid=options["commit_valid"],
                pre_scale=options["pre_scale"],
                post_scale=options["post_scale"],
            )
            if options["dry_run"]:
                transaction.set_rollback(True)
        return report

    def _reexamine(self, actor: Any) -> None:
        """After a large back-fill: refit the model on the registry's records, then compare
        every person with every other over all their records, as `dedupe` does."""
        report = registry_dedupe(dry_run=False, actor=actor)
        self.stdout.write(
            f"Registro reexaminado con el {report.model_label}: {report.merged} fusiones "
            f"automáticas, {report.queued} pares nuevos para revisión, "
            f"{report.split_suspects} personas con DNI incompatibles."
        )

    def _summary(
        self,
        files: Counter[str],
        rows: Counter[str],
        failures: list[str],
        elapsed: float,
        *,
        dry_run: bool,
    ) -> None:
        prefix = "[simulación] " if dry_run else ""
        total_files = sum(files.values())
        total_rows = sum(rows.values())
        self.stdout.write(
            f"{prefix}{total_files} archivos: "
            f"{files[outcomes.STATUS_COMMITTED]} importados, "
            f"{files[outcomes.STATUS_PARTIAL]} importados sin sus filas rechazadas, "
            f"{files[outcomes.STATUS_ALREADY_IMPORTED]} ya importados antes, "
            f"{files[outcomes.STATUS_NOTHING_NEW]} sin filas nuevas, "
            f"{files[outcomes.STATUS_REJECTED] + files['failed']} no importados."
        )
        self.stdout.write(
            f"{prefix}{total_rows} filas: "
            + ", ".join(
                f"{rows[outcome]} {label}" for outcome, label in outcomes.OUTCOME_LABELS.items()
            )
            + "."
        )
        rate = total_rows / elapsed if elapsed else 0.0
        self.stdout.write(f"{prefix}{elapsed:.1f} s, {rate:.0f} filas/s.")
        for failure in failures:
            self.stdout.write(f"  ! {failure}")


def _one_line(error: Exception, entry: ManifestEntry) -> str:
    if isinstance(error, ValidationError):
        return f"{entry.path.name}: " + "; ".join(error.messages)
    if isinstance(error, OSError):
        return f"{entry.path.name}: {error.strerror or error}"
    return str(error)
