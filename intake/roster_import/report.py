"""What an import did (or, in a dry run, would do): per row and in total."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from intake.roster_import.column_report import column_lines
from intake.roster_import.scales import BEFORE_CONFIRMING
from intake.roster_import.staging import Problem

NEW = "new"
LINKED = "linked"
REVIEW = "review"
REPEATED = "repeated"
REJECTED = "rejected"
SKIPPED = "skipped"  # the same row was imported before into this cohort
IMPORTED_OUTCOMES = (NEW, LINKED, REVIEW, REPEATED)

OUTCOME_LABELS = {
    NEW: "persona nueva",
    LINKED: "vinculada a una persona existente",
    REVIEW: "posible duplicado, para revisión",
    REPEATED: "repetida en el archivo",
    REJECTED: "rechazada",
    SKIPPED: "ya importada antes",
}

# What a result says in place of a preview's `BEFORE_CONFIRMING`.
AFTER_IMPORT = "revise si las escalas de las notas importadas son las correctas"

# Batch-level results.
STATUS_COMMITTED = "committed"
STATUS_PARTIAL = "partial"
STATUS_REJECTED = "rejected"
STATUS_ALREADY_IMPORTED = "already_imported"
STATUS_NOTHING_NEW = "nothing_new"


@dataclass
class RowReport:
    row_number: int
    outcome: str
    reason: str
    person_code: str = ""
    same_as_row: int | None = None
    problems: list[Problem] = field(default_factory=list)
    # The row's own values, so that the preview's reader recognises it.
    name: str = ""
    dni: str = ""
    pre_score: str = ""
    post_score: str = ""
    minor: str = ""  # "menor de edad", "menor de 14 años" (courses.minors) or ""

    def describe(self) -> str:
        text = f"fila {self.row_number}: {OUTCOME_LABELS[self.outcome]}"
        if self.person_code:
            text += f" {self.person_code}"
        if self.reason:
            text += f" ({self.reason})"
        return text


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    dry_run: bool
    commit_valid: bool
    file_format: str = ""
    sheet_name: str = ""
    header_row: int = 0
    encoding: str = ""
    delimiter: str = ""
    rows: list[RowReport] = field(default_factory=list)
    pre_scale: Decimal | None = None
    post_scale: Decimal | None = None
    pre_scale_inferred: bool = False
    post_scale_inferred: bool = False
    scale_warnings: list[str] = field(default_factory=list)
    scale_outliers: dict[str, list[int]] = field(default_factory=dict)  # test -> row numbers
    status: str = ""  # what happened, or in a dry run what would happen
    batch_id: int | None = None
    previous_batch_id: int | None = None
    previous_batch_at: datetime | None = None
    linkage_model: str = ""  # which model scored the rows against the registry
    scale_from_file: dict[str, bool] = field(default_factory=dict)  # test -> "14 / 20" cells
    scale_notes: list[str] = field(default_factory=list)
    # What became of each column (`ColumnPlan.report`), and the warning of a file whose test
    # columns gave no score.
    columns: dict[str, Any] = field(default_factory=dict)
    column_warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(row.outcome for row in self.rows)
        return {outcome: counter.get(outcome, 0) for outcome in OUTCOME_LABELS}

    @property
    def imported(self) -> bool:
        """Whether rows were (or in a dry run would be) written."""
        return self.status in (STATUS_COMMITTED, STATUS_PARTIAL)

    @property
    def failed(self) -> bool:
        """Nothing could be imported: the command exits non-zero."""
        return self.status == STATUS_REJECTED

    @property
    def problem_count(self) -> int:
        return sum(len(row.problems) for row in self.rows)

    def summary(self) -> str:
        """One line: the outcome of the file."""
        if self.status == STATUS_ALREADY_IMPORTED:
            when = (
                f"{timezone.localtime(self.previous_batch_at):%Y-%m-%d %H:%M}"
                if self.previous_batch_at
                else ""
            )
            return (
                f"{self.file_name}: ya importado el {when} como lote {self.previous_batch_id}; "
                "no se creó nada nuevo."
            )
        if self.status == STATUS_NOTHING_NEW:
            return (
                f"{self.file_name}: todas las filas ya estaban importadas en esta cohorte; "
                "no se creó nada nuevo."
            )
        counts = self.counts
        totals = ", ".join(
            f"{counts[outcome]} {OUTCOME_LABELS[outcome]}"
            for outcome in OUTCOME_LABELS
            if counts[outcome]
        )
        verb = {
            STATUS_COMMITTED: "se importaría" if self.dry_run else "importado",
            STATUS_PARTIAL: (
                "se importarían las filas válidas"
                if self.dry_run
                else "importadas las filas válidas"
            ),
            STATUS_REJECTED: "no se importaría" if self.dry_run else "no importado",
        }[self.status]
        text = f"{self.file_name}: {verb} ({len(self.rows)} filas: {totals})"
        if self.status == STATUS_REJECTED and counts[REJECTED]:
            text += (
                f"; filas rechazadas: {counts[REJECTED]}; corrija el archivo o use la opción "
                "de importar solo las filas válidas"
            )
        elif self.status == STATUS_REJECTED:
            text += "; ninguna fila se puede importar"
        return text + "."

    def scale_lines(self) -> list[str]:
        """The scale of each test, how it was decided, its outliers and any warning."""
        lines = []
        for test, label, scale, inferred in (
            ("pre", "pre-test", self.pre_scale, self.pre_scale_inferred),
            ("post", "post-test", self.post_scale, self.post_scale_inferred),
        ):
            if scale is None:
                continue
            # Once imported there is nothing left to confirm: the result says what was done.
            inferred_how = "inferida de las notas" + (", confirme" if self.dry_run else "")
            how = inferred_how if inferred else "indicada"
            if self.scale_from_file.get(test):
                how = "indicada en el archivo"
            line = f"Escala del {label}: 0-{scale:g} ({how})."
            outliers = self.scale_outliers.get(test, [])
            if outliers:
                rows = ", ".join(str(number) for number in outliers[:10])
                more = f" y {len(outliers) - 10} más" if len(outliers) > 10 else ""
                noun = "nota mayor" if len(outliers) == 1 else "notas mayores"
                line += (
                    f" {len(outliers)} {noun} que la escala no se guarda"
                    f"{'n' if len(outliers) > 1 else ''} (fila{'s' if len(outliers) > 1 else ''} "
                    f"{rows}{more})."
                )
            lines.append(line)
        lines.extend(f"{note}." for note in self.scale_notes)
        for warning in self.scale_warnings:
            if not self.dry_run:
                warning = warning.replace(BEFORE_CONFIRMING, AFTER_IMPORT)
            lines.append(f"Atención: {warning}.")
        return lines

    def problem_lines(self) -> list[str]:
        """Every flagged value: file, spreadsheet row, column and what is wrong."""
        return [
            f"{self.file_name}, fila {row.row_number}"
            + (f", columna {problem.column}" if problem.column else "")
            + f": {problem.problem}"
            for row in self.rows
            for problem in row.problems
        ]

    def render_text(self, *, with_rows: bool = True) -> str:
        lines = [("[simulación] " if self.dry_run else "") + self.summary()]
        if self.status in (STATUS_ALREADY_IMPORTED, STATUS_NOTHING_NEW):
            return lines[0]
        where = f"hoja '{self.sheet_name}', " if self.sheet_name else ""
        lines.append(f"  {where}encabezados en la fila {self.header_row}")
        lines.extend(f"  {line}" for line in self.scale_lines())
        lines.extend(f"  {line}" for line in column_lines(self.columns, self.column_warnings))
        if self.linkage_model:
            lines.append(f"  Coincidencias calculadas con el {self.linkage_model}.")
        if with_rows:
            lines.extend(f"  {row.describe()}" for row in self.rows)
        lines.extend(f"  ! {line}" for line in self.problem_lines())
        return "\n".join(lines)

    def preview_data(self) -> dict[str, Any]:
        """The report as plain data, kept between the preview's pages (JSON-serialisable)."""
        return {
            "file_name": self.file_name,
            "dry_run": self.dry_run,
            "status": self.status,
            "summary": self.summary(),
            "scale_lines": self.scale_lines(),
            "sheet_name": self.sheet_name,
            "header_row": self.header_row,
            "linkage_model": self.linkage_model,
            "columns": self.columns,
            "column_warnings": self.column_warnings,
            "counts": self.counts,
            "rows": [
                {
                    "row_number": row.row_number,
                    "outcome": row.outcome,
                    "reason": row.reason,
                    "person_code": row.person_code,
                    "name": row.name,
                    "dni": row.dni,
                    "pre_score": row.pre_score,
                    "post_score": row.post_score,
                    "minor": row.minor,
                    "problems": [
                        {"column": problem.column, "problem": problem.problem}
                        for problem in row.problems
                    ],
                }
                for row in self.rows
            ],
        }
