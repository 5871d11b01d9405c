"""The read-only half of an import: what each staged row would become. Used by dry runs too.

For an actor who is not a registry administrator the plan is restricted: what that checks
and hides is `restricted_plan`. An actor of None is the command line, run by the registry's
operators: nothing is hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from accounts.access.user_scope import is_registry_admin
from courses.minors import training_date
from courses.models import BatchStatus, Cohort, Enrollment, RowOutcome, SourceRecord
from intake.roster_import import report as outcomes
from intake.roster_import.minors import minors_check
from intake.roster_import.restricted_plan import codes_as_seen, review_dni_name_mismatches
from intake.roster_import.scales import scales_apply
from intake.roster_import.staging import StagedRow
from participants.linkage_store import ModelInUse, linkage_model_in_use
from participants.matching import (
    DOCUMENT_COLUMNS,
    RECORD_COLUMNS,
    linkage_config,
    match_rows,
    record_row,
)
from participants.models import Person
from participants.names import fold
from participants.services import person_build_from, validation_problems
from participants.vocabularies import alias_table

VOCABULARY_LABELS = {"institution": "institución", "role": "cargo", "region": "región"}


@dataclass
class RowPlan:
    row: StagedRow
    outcome: str
    reason: str
    person_id: int | None = None  # existing person (linked, repeated of linked)
    review_person_id: int | None = None
    score: float = 0.0
    same_as: int | None = None  # position of the first row of the same person
    vocabulary_ids: dict[str, int | None] = field(default_factory=dict)
    previous_batch_id: int | None = None
    person: Person | None = None  # built and validated, saved only if the row is a new person


@dataclass
class Plan:
    rows: list[RowPlan]
    pre_scale: Decimal | None
    post_scale: Decimal | None
    pre_scale_inferred: bool
    post_scale_inferred: bool
    person_codes: dict[int, str]
    # The linkage model that scored the rows (shown in the preview, kept with the batch).
    model: ModelInUse | None = None
    # What the scores say against the chosen scales (most rows would show a loss ...).
    scale_warnings: list[str] = field(default_factory=list)
    scale_outliers: dict[str, list[int]] = field(default_factory=dict)  # test -> row numbers
    # The file's cells stated the scale ("14 / 20"); scores converted to it.
    scale_from_file: dict[str, bool] = field(default_factory=dict)  # test -> stated
    scale_notes: list[str] = field(default_factory=list)
    # Planned for school staff: the report shows rows as intake.roster_import.school_view says.
    restricted: bool = False


def plan_import(
    *,
    staged: list[StagedRow],
    cohort: Cohort,
    columns: dict[str, str],
    pre_scale: Decimal | None,
    post_scale: Decimal | None,
    actor: User | None = None,
) -> Plan:
    scales = scales_apply(
        staged=staged, columns=columns, pre_given=pre_scale, post_given=post_scale
    )
    already = _rows_already_imported(staged, cohort)
    minors_check(
        [row for row in staged if row.row_hash not in already],
        on=training_date(cohort),
        at="al inicio del curso" if cohort.start_date else "a la fecha de la importación",
        columns=columns,
    )
    plans: dict[int, RowPlan] = {}
    for row in staged:
        if row.rejected:
            plans[row.position] = RowPlan(row, outcomes.REJECTED, row.rejected)
        elif row.row_hash in already:
            batch_id = already[row.row_hash]
            plans[row.position] = RowPlan(
                row,
                outcomes.SKIPPED,
                f"la misma fila ya se importó en esta cohorte (lote {batch_id})",
                previous_batch_id=batch_id,
            )
    built = _build_persons(staged, plans)
    candidates = [row for row in staged if row.position not in plans]
    model = linkage_model_in_use(linkage_config())
    matches = match_rows(_record_frame(candidates), model=model).to_dict("index")
    for row in candidates:
        match = matches[row.position]
        plans[row.position] = RowPlan(
            row,
            str(match["outcome"]),
            str(match["reason"]),
            person_id=_int_or_none(match["person_id"]),
            review_person_id=_int_or_none(match["review_person_id"]),
            score=float(match["score"]),
            same_as=_int_or_none(match["same_as_row"]),
            person=built[row.position],
        )
    ordered = [plans[row.position] for row in staged]
    restricted = actor is not None and not is_registry_admin(actor)
    if restricted:
        review_dni_name_mismatches(ordered)
    _resolve_vocabularies(ordered, columns)
    _note_already_enrolled(ordered, cohort)
    referenced = {
        person_id
        for plan in ordered
        for person_id in (plan.person_id, plan.review_person_id)
        if person_id is not None
    }
    codes = dict(Person.objects.filter(pk__in=referenced).values_list("pk", "code"))
    if restricted and actor is not None:  # restricted already says there is an actor
        codes = codes_as_seen(actor, codes)
    return Plan(
        ordered,
        scales.pre,
        scales.post,
        scales.pre_inferred,
        scales.post_inferred,
        codes,
        model,
        scale_warnings=scales.warnings,
        scale_outliers={"pre": scales.pre_outliers, "post": scales.post_outliers},
        scale_from_file={"pre": scales.pre_from_file, "post": scales.post_from_file},
        scale_notes=scales.notes,
        restricted=restricted,
    )


def _build_persons(staged: list[StagedRow], plans: dict[int, RowPlan]) -> dict[int, Person]:
    """Validate each importable row as a person now, so a dry run rejects what a commit would."""
    built = {}
    for row in staged:
        if row.position in plans:
            continue
        try:
            built[row.position] = person_build_from(row.identity_values())
        except ValidationError as error:
            row.rejected = validation_problems(error)
            plans[row.position] = RowPlan(row, outcomes.REJECTED, row.rejected)
    return built


def _note_already_enrolled(plans: list[RowPlan], cohort: Cohort) -> None:
    """A linked person may already be in this cohort (from another file of the same roster)."""
    linked = {
        plan.person_id
        for plan in plans
        if plan.person_id is not None and plan.outcome == outcomes.LINKED
    }
    if cohort.pk is None or not linked:
        return
    enrolled = set(
        Enrollment.objects.filter(cohort=cohort, person_id__in=linked).values_list(
            "person_id", flat=True
        )
    )
    for plan in plans:
        if plan.outcome == outcomes.LINKED and plan.person_id in enrolled:
            plan.reason += "; ya estaba inscrita en esta cohorte: se conserva esa inscripción"


def _int_or_none(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _record_frame(rows: list[StagedRow]) -> pd.DataFrame:
    """The canonical record schema `participants.matching.match_rows` takes."""
    records = {row.position: record_row(row.identity_values()) for row in rows}
    columns = [*RECORD_COLUMNS, *DOCUMENT_COLUMNS]
    return pd.DataFrame.from_dict(records, orient="index", columns=columns, dtype="object")


def _rows_already_imported(staged: list[StagedRow], cohort: Cohort) -> dict[str, int]:
    if cohort.pk is None:
        return {}
    hashes = [row.row_hash for row in staged]
    return dict(
        SourceRecord.objects.filter(
            batch__cohort=cohort,
            batch__status__in=(BatchStatus.COMMITTED, BatchStatus.PARTIAL),
            row_hash__in=hashes,
        )
        .exclude(outcome=RowOutcome.REJECTED)
        .values_list("row_hash", "batch_id")
    )


def _resolve_vocabularies(plans: list[RowPlan], columns: dict[str, str]) -> None:
    """Institution, role and region through the alias tables, read once per import."""
    for vocabulary, label in VOCABULARY_LABELS.items():
        table = alias_table(vocabulary)
        for plan in plans:
            text = getattr(plan.row, vocabulary)
            if not text or plan.outcome in (outcomes.REJECTED, outcomes.SKIPPED):
                plan.vocabulary_ids[vocabulary] = None
                continue
            entry = table.get(fold(text))
            plan.vocabulary_ids[vocabulary] = entry
            if entry is None:
                plan.row.flag(
                    columns[vocabulary],
                    f"{label} '{text}' no está en el vocabulario; se guarda el texto tal cual "
                    "para mapearlo después",
                )
