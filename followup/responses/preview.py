"""What each row of a responses file would become, before anything is written.

Each row is one of: a new response; a member who already answered (or a repeat of an
earlier row of the file); a token or code that is not of this wave; a row without one; a
person who had withdrawn their consent before answering; or values that cannot be read
(named with the row number the spreadsheet shows and the column as written).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.utils import timezone

from accounts.models import ContactConsent
from followup.models import QuestionKind, SurveyResponse, SurveyWave, WaveMember
from followup.responses.reading import POST_LABELS, ColumnMap, response_table
from participants.record_frames.merged_persons import members_of
from participants.vocabularies import alias_table, resolve
from spreadsheets.cells import cell_text


class Outcome(StrEnum):
    NEW = "new"
    ANSWERED = "answered"
    REPEATED = "repeated"
    UNKNOWN = "unknown"
    NO_KEY = "no_key"
    WITHDRAWN = "withdrawn"
    INVALID = "invalid"


OUTCOME_LABELS = {
    Outcome.NEW: "respuesta nueva",
    Outcome.ANSWERED: "ya respondió",
    Outcome.REPEATED: "repetida en el archivo",
    Outcome.UNKNOWN: "token o código desconocido",
    Outcome.NO_KEY: "sin token ni código",
    Outcome.WITHDRAWN: "retiró su consentimiento antes de responder",
    Outcome.INVALID: "valores con problemas",
}

_YES = frozenset({"1", "si", "sí", "s", "yes", "y", "true", "verdadero", "x"})
_NO = frozenset({"0", "no", "n", "false", "falso"})
_EXCEL_EPOCH = date(1899, 12, 30)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_PERU_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")


@dataclass(frozen=True)
class Problem:
    column: str  # the column as the file names it
    problem: str


@dataclass
class RowPlan:
    row_number: int  # as the spreadsheet shows it
    outcome: Outcome = Outcome.NEW
    key: str = ""  # the token or participant code as written
    member_id: int | None = None
    person_code: str = ""
    answers: dict[str, Any] = field(default_factory=dict)
    responded_on: date | None = None
    post_text: dict[str, str] = field(default_factory=dict)
    post_ids: dict[str, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ResponsePreview:
    wave_id: int
    file_name: str
    file_format: str
    sheet_name: str
    header_row: int
    columns: ColumnMap
    rows: list[RowPlan]
    missing_questions: list[str]
    committed: bool = False

    @property
    def counts(self) -> dict[Outcome, int]:
        counts = Counter(row.outcome for row in self.rows)
        return {outcome: counts[outcome] for outcome in Outcome if counts[outcome]}

    @property
    def to_import(self) -> list[RowPlan]:
        return [row for row in self.rows if row.outcome == Outcome.NEW]

    @property
    def summary(self) -> str:
        parts = [f"{count} {OUTCOME_LABELS[outcome]}" for outcome, count in self.counts.items()]
        verb = "Se importaron" if self.committed else "Se importarían"
        return (
            f"{len(self.rows)} filas: {'; '.join(parts) or 'ninguna'}. "
            f"{verb} {len(self.to_import)} respuestas."
        )

    def lines(self) -> list[str]:
        """The preview as text, one line per row that will not simply be imported."""
        out = [self.summary]
        if self.columns.tool:
            out.append(f"Exportación de {self.columns.tool}.")
        if self.missing_questions:
            out.append("Preguntas sin columna en el archivo: " + ", ".join(self.missing_questions))
        if self.columns.unread:
            out.append("Columnas no leídas: " + ", ".join(self.columns.unread))
        for row in self.rows:
            details = [f"{p.column}: {p.problem}" for p in row.problems] + row.notes
            if row.reason:
                details.insert(0, row.reason)
            if row.outcome != Outcome.NEW or details:
                text = f"Fila {row.row_number}: {row.label}"
                out.append(text + (" - " + "; ".join(details) if details else ""))
        return out


def parse_yes_no(value: Any) -> tuple[bool | None, str]:
    if value is None or value == "":
        return None, ""
    if isinstance(value, bool):
        return value, ""
    text = cell_text(value).strip().lower()
    if text in _YES:
        return True, ""
    if text in _NO:
        return False, ""
    return None, f"«{cell_text(value)}» no es sí ni no"


def parse_number(value: Any) -> tuple[float | None, str]:
    if value is None or value == "":
        return None, ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), ""
    text = cell_text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # "2,5": the decimal comma of es-PE
    try:
        number = float(text)
    except ValueError:
        return None, f"«{cell_text(value)}» no es un número"
    if number != number or number in (float("inf"), float("-inf")):
        return None, f"«{cell_text(value)}» no es un número"
    return number, ""


def parse_response_date(value: Any, *, today: date) -> tuple[date | None, str]:
    """ISO dates and date-times (the tools' exports), dd/mm/aaaa, Excel dates and serials."""
    if value is None or value == "":
        return None, ""
    parsed: date | None = None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            parsed = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = cell_text(value)
        try:
            if match := _ISO_DATE.match(text):
                parsed = date(int(match[1]), int(match[2]), int(match[3]))
            elif match := _PERU_DATE.match(text):
                parsed = date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            parsed = None
    if parsed is None:
        return None, f"fecha «{cell_text(value)}» no válida (use aaaa-mm-dd o dd/mm/aaaa)"
    if parsed > today:
        return None, f"fecha «{cell_text(value)}» posterior a hoy"
    return parsed, ""


def _cell(row: list[Any], position: int | None) -> Any:
    if position is None or position >= len(row):
        return None
    return row[position]


def _consent_history(person_ids: list[int]) -> dict[int, list[ContactConsent]]:
    """Each person's statements about follow-up contact, over their merge cluster, oldest
    first."""
    members = members_of(person_ids)
    history: dict[int, list[ContactConsent]] = {}
    rows = ContactConsent.objects.filter(person_id__in=list(members)).order_by("given_at", "pk")
    for row in rows:
        history.setdefault(members[row.person_id], []).append(row)
    return history


def withdrawal_before(statements: list[ContactConsent], answered: date | None) -> date | None:
    """The date of the withdrawal in force when the person answered (by the end of that day;
    now when the answer has no date), or None when they had not withdrawn."""
    if answered is None:
        moment = timezone.now()
    else:
        moment = timezone.make_aware(datetime.combine(answered, time.max))
    in_force = [s for s in statements if s.given_at <= moment]
    if in_force and not in_force[-1].granted:
        return timezone.localtime(in_force[-1].given_at).date()
    return None


def responses_preview(
    wave: SurveyWave, data: bytes, *, file_name: str, today: date | None = None
) -> ResponsePreview:
    """Read the file and say what each row would become; writes nothing."""
    today = today or timezone.localdate()
    questions = {q.code: q for q in wave.questions.all()}
    table, columns = response_table(data, file_name=file_name, codes=list(questions))
    members = list(WaveMember.objects.filter(wave=wave).select_related("person"))
    by_token = {m.token: m for m in members}
    by_code = {m.person.code.upper(): m for m in members}
    answered = dict(
        SurveyResponse.objects.filter(member__wave=wave).values_list("member_id", "imported_at")
    )
    consents = _consent_history([m.person_id for m in members])
    tables = {vocabulary: alias_table(vocabulary) for vocabulary in columns.post}
    seen: dict[int, int] = {}
    plans = []
    for number, row in table.rows:
        plan = RowPlan(row_number=number)
        plans.append(plan)
        keys = [cell_text(_cell(row, p)) for p in columns.key]
        plan.key = next((k for k in keys if k), "")
        if not plan.key:
            plan.outcome = Outcome.NO_KEY
            plan.reason = "la fila no tiene token ni código de participante"
            continue
        member = next(
            (
                by_token.get(k) or by_code.get(k.upper())
                for k in keys
                if k and (k in by_token or k.upper() in by_code)
            ),
            None,
        )
        if member is None:
            plan.outcome = Outcome.UNKNOWN
            plan.reason = f"«{plan.key}» no es un token ni un código de esta ola"
            continue
        plan.member_id = member.pk
        plan.person_code = member.person.code
        if member.pk in answered:
            plan.outcome = Outcome.ANSWERED
            plan.reason = (
                "esta persona ya respondió (importado el "
                f"{timezone.localtime(answered[member.pk]):%Y-%m-%d})"
            )
            continue
        if member.pk in seen:
            plan.outcome = Outcome.REPEATED
            plan.reason = f"la misma persona ya está en la fila {seen[member.pk]}"
            continue
        seen[member.pk] = number
        _read_values(plan, row, columns, questions, tables, today)
        if plan.problems:
            plan.outcome = Outcome.INVALID
            continue
        withdrawn = withdrawal_before(consents.get(member.person_id, []), plan.responded_on)
        if withdrawn is not None:
            plan.outcome = Outcome.WITHDRAWN
            plan.reason = (
                f"la persona retiró su consentimiento el {withdrawn:%Y-%m-%d}, antes de "
                + (
                    f"responder (el {plan.responded_on:%Y-%m-%d})"
                    if plan.responded_on
                    else "esta importación, y la respuesta no tiene fecha"
                )
                + ": la respuesta no se importa"
            )
    return ResponsePreview(
        wave_id=wave.pk,
        file_name=file_name,
        file_format=table.file_format,
        sheet_name=table.sheet_name,
        header_row=table.header_row,
        columns=columns,
        rows=plans,
        missing_questions=[code for code in questions if code not in columns.questions],
    )


def _read_values(
    plan: RowPlan,
    row: list[Any],
    columns: ColumnMap,
    questions: dict[str, Any],
    tables: dict[str, dict[str, int]],
    today: date,
) -> None:
    for code, position in columns.questions.items():
        value = _cell(row, position)
        kind = questions[code].kind
        if kind == QuestionKind.YES_NO:
            parsed: Any
            parsed, problem = parse_yes_no(value)
        elif kind == QuestionKind.NUMBER:
            parsed, problem = parse_number(value)
        else:
            parsed, problem = (cell_text(value) or None), ""
        if problem:
            plan.problems.append(Problem(columns.header(position), problem))
        elif parsed is not None:
            plan.answers[code] = parsed
    if columns.date is not None:
        plan.responded_on, problem = parse_response_date(_cell(row, columns.date), today=today)
        if problem:
            plan.problems.append(Problem(columns.header(columns.date), problem))
    for vocabulary, position in columns.post.items():
        text = cell_text(_cell(row, position))
        if not text:
            continue
        plan.post_text[vocabulary] = text
        entry = resolve(vocabulary, text, tables[vocabulary])
        plan.post_ids[vocabulary] = entry
        if entry is None:
            plan.notes.append(
                f"{columns.header(position)}: {POST_LABELS[vocabulary]} «{text}» no está en el "
                "vocabulario; se guarda el texto tal cual"
            )
