"""The per-row half of an import report: what became of each row, and the row's own values
(its name, DNI and scores as read) so that the preview's reader recognises it."""

from __future__ import annotations

from decimal import Decimal

from intake.roster_import import report as outcomes
from intake.roster_import.planning import Plan
from intake.roster_import.report import ImportReport, RowReport
from intake.roster_import.restricted_plan import HIDDEN_PERSON
from intake.roster_import.school_view import outcome_for_school
from intake.roster_import.staging import StagedRow


def fill_rows(report: ImportReport, plan: Plan, new_codes: dict[int, str]) -> None:
    by_position = {row.row.position: row for row in plan.rows}
    for row_plan in plan.rows:
        code = plan.person_codes.get(row_plan.person_id or 0, "") or new_codes.get(
            row_plan.row.position, ""
        )
        outcome, reason = row_plan.outcome, row_plan.reason
        review_code = plan.person_codes.get(row_plan.review_person_id or 0, "")
        if plan.restricted:
            outcome, reason = outcome_for_school(
                outcome=outcome,
                reason=reason,
                person_hidden=code == HIDDEN_PERSON,
                review_person_hidden=review_code == HIDDEN_PERSON,
            )
        same_as = None
        if outcome == outcomes.REVIEW:
            reason = f"{reason}; comparar con {review_code}"
        if row_plan.same_as is not None:
            same_as = by_position[row_plan.same_as].row.row_number
            first = by_position[row_plan.same_as]
            code = (
                code
                or plan.person_codes.get(first.person_id or 0, "")
                or new_codes.get(first.row.position, "")
            )
            reason = f"{reason} (fila {same_as}): una sola inscripción"
        report.rows.append(
            RowReport(
                row_number=row_plan.row.row_number,
                outcome=outcome,
                reason=reason,
                person_code=code,
                same_as_row=same_as,
                problems=list(row_plan.row.problems),
                name=_display_name(row_plan.row),
                dni=row_plan.row.dni,
                pre_score=_score_text(row_plan.row.pre_score),
                post_score=_score_text(row_plan.row.post_score),
                minor=row_plan.row.minor_label,
            )
        )


def _display_name(row: StagedRow) -> str:
    """ "QUISPE MAMANI, Juan Carlos" as Peruvian lists write it; the raw cells if unparsed."""
    surnames = " ".join(part for part in (row.paternal_surname, row.maternal_surname) if part)
    name = ", ".join(part for part in (surnames, row.given_names) if part)
    return name or " ".join(value for value in row.raw.values() if value)[:120]


def _score_text(score: Decimal | None) -> str:
    return "" if score is None else f"{score.normalize():f}"
