"""Which column of a roster is read as which field, and which columns are left unread.

Each column is looked at in this order; the first that claims it decides:
1. the column profile of the cohort's school or provider (`intake.roster_import.profiles`):
   a header an administrator mapped in an earlier preview, or marked not to import;
2. the columns a tool writes about itself (`tools`): Google Forms' "Marca temporal", Moodle's
   "Última descarga de este curso", Microsoft Forms' "Hora de inicio" and the points beside
   each question, KoboToolbox's "_uuid"...; and row numbers ("N°"). Set aside, never read;
3. the header aliases (`intake.roster_import.headers`; a KoboToolbox group path such as
   "datos_personales/dni" by its last part);
4. the tests (`quizzes`): among the columns still unread, those that hold a test's scores.
What is left is unread. The report lists the columns read (with the field each became), set
aside (with why) and unread, by their header as the file shows it: a column is never dropped
without the user being told. Its cells stay, as for every column, in the row's raw record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.roster_fields import (
    FIELD_LABELS,
    IGNORE,
    POST_SCORE,
    PRE_SCORE,
    PROFILE_CHOICES,
    TEST_NAMES,
)
from intake.roster_import.columns import quizzes
from intake.roster_import.columns.tools import (
    MICROSOFT_FORMS,
    TOOL_NAMES,
    detect_tool,
    tool_column,
)
from intake.roster_import.headers import canonical_field
from intake.roster_import.values import parse_score_stated
from participants.names import fold
from spreadsheets.cells import cell_text
from spreadsheets.reading import Table, column_letter

__all__ = [
    "CONTACT_CONSENT",
    "FIELD_LABELS",
    "IGNORE",
    "POST_SCORE",
    "PRE_SCORE",
    "PROFILE_CHOICES",
    "READ_LABELS",
    "TEST_NAMES",
    "ColumnPlan",
    "column_plan",
    "header_key",
]

BY_ALIAS, BY_PROFILE, BY_TEST = "alias", "profile", "test"
CONTACT_CONSENT = "contact_consent"
# What each field read is called in the report. Consent to follow-up contact is read only
# by its header (the aliases), not offered to column profiles: a profile's field is one of
# `PROFILE_CHOICES`, which the profile model's constraint lists, and a consent is a
# person's own statement, read only from a column whose header asks for it.
# The same holds for a minor's age and their guardian's consent (courses.minors).
READ_LABELS = {
    **FIELD_LABELS,
    CONTACT_CONSENT: gettext_lazy("consent to follow-up contact"),
    "age_stated": gettext_lazy("age"),
    "minor_stated": gettext_lazy("minor"),
    "guardian_name": gettext_lazy("guardian's name"),
    "guardian_relationship": gettext_lazy("relationship to the minor"),
    "guardian_document": gettext_lazy("guardian's identity document"),
    "guardian_consent": gettext_lazy("guardian consent"),
    "guardian_consent_date": gettext_lazy("date of the guardian consent"),
}
_NAME_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "surnames",
    "full_name",
    "full_name_given_first",
)
# A candidate test column: at least this share of its filled cells read as scores.
_SCORE_SHARE = 0.5


def header_key(header: str) -> str:
    """How a column profile knows a header: folded (accents, case and punctuation aside)."""
    return fold(header)[:200]


@dataclass
class ColumnPlan:
    headers: list[str]
    mapping: dict[str, list[int]] = field(default_factory=dict)  # field -> positions
    read_by: dict[int, str] = field(default_factory=dict)  # position -> BY_*
    set_aside: dict[int, str] = field(default_factory=dict)  # position -> why, for the user
    unread: list[int] = field(default_factory=list)
    # Headers that read as test scores, other than the tool's own columns and those the
    # profile marks not to import: a warning is due if none gave a score.
    test_like: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how the tests were found
    tool: str = ""

    def label(self, position: int) -> str:
        """A column as the user finds it in the file: «header» (letter)."""
        return f"«{self.headers[position]}» ({column_letter(position)})"

    def field_of(self, position: int) -> str:
        return next((name for name, where in self.mapping.items() if position in where), "")

    def report(self) -> dict[str, Any]:
        """The plan as the report keeps it (JSON-serialisable, texts in the user's language)."""
        return {
            "tool": TOOL_NAMES.get(self.tool, ""),
            "read": [
                {
                    "column": self.label(position),
                    "field": self.field_of(position),
                    "label": str(READ_LABELS[self.field_of(position)]),
                    "remembered": self.read_by[position] == BY_PROFILE,
                }
                for position in sorted(self.read_by)
            ],
            "set_aside": self._set_aside_by_reason(),
            "unread": [
                {"column": self.label(position), "header": self.headers[position]}
                for position in self.unread
            ],
            "test_like": [self.label(position) for position in self.test_like],
            "notes": list(self.notes),
        }

    def _set_aside_by_reason(self) -> list[dict[str, Any]]:
        groups: dict[str, list[str]] = {}
        for position, reason in sorted(self.set_aside.items()):
            groups.setdefault(reason, []).append(self.label(position))
        return [{"reason": reason, "columns": columns} for reason, columns in groups.items()]


def column_plan(
    table: Table, *, profile: Mapping[str, str] | None = None, file_name: str = ""
) -> ColumnPlan:
    """How each column of `table` is read; `profile`: header key -> field or IGNORE."""
    headers = table.headers
    plan = ColumnPlan(headers=list(headers), tool=detect_tool(headers))
    profile = profile or {}
    quiet: set[int] = set()  # set aside and never a reason to warn
    for position, header in enumerate(headers):
        remembered = profile.get(header_key(header))
        if remembered == IGNORE:
            plan.set_aside[position] = _("marked not to import in an earlier import")
            quiet.add(position)
        elif remembered in FIELD_LABELS:
            _read(plan, position, str(remembered), BY_PROFILE)
        elif reason := tool_column(position, headers, plan.tool):
            plan.set_aside[position] = reason
            quiet.add(position)
        elif name := canonical_field(header):
            _read(plan, position, name, BY_ALIAS)
    _lone_name_column(plan)
    if plan.tool == MICROSOFT_FORMS:
        _microsoft_account_columns(plan)
    _find_tests(plan, table, file_name or table.file_name)
    plan.unread = [
        position
        for position in range(len(headers))
        if position not in plan.read_by
        and position not in plan.set_aside
        and _worth_listing(table, position)
    ]
    plan.test_like = [
        position
        for position, header in enumerate(headers)
        if quizzes.looks_like_test(header) and position not in quiet
    ]
    return plan


def _read(plan: ColumnPlan, position: int, name: str, how: str) -> None:
    plan.mapping.setdefault(name, []).append(position)
    plan.read_by[position] = how


def _unread_position(plan: ColumnPlan, name: str, position: int) -> None:
    plan.mapping[name].remove(position)
    if not plan.mapping[name]:
        del plan.mapping[name]
    del plan.read_by[position]


def _lone_name_column(plan: ColumnPlan) -> None:
    """A lone "Nombre" column holds the whole name, surnames first as Peruvian lists do."""
    if "given_names" in plan.mapping and not any(
        name in plan.mapping for name in _NAME_FIELDS if name != "given_names"
    ):
        plan.mapping["full_name"] = plan.mapping.pop("given_names")


def _microsoft_account_columns(plan: ColumnPlan) -> None:
    """Microsoft Forms writes the account's "Correo electrónico" and "Nombre" (5th column)
    before the questions. If the form asks for them too, its questions are read; otherwise
    the account's name is read, given names first (as Microsoft 365 shows a name)."""
    folded = [fold(header) for header in plan.headers[:6]]
    for position, header in enumerate(folded):
        name = plan.field_of(position)
        if header in ("CORREO ELECTRONICO", "EMAIL") and name == "email":
            if len(plan.mapping["email"]) > 1:
                _unread_position(plan, "email", position)
                plan.set_aside[position] = _("the account that answered; the form asks for it")
        elif header in ("NOMBRE", "NAME") and name:
            asked = [
                other
                for other in _NAME_FIELDS
                for where in plan.mapping.get(other, [])
                if where != position
            ]
            _unread_position(plan, name, position)
            if asked:
                plan.set_aside[position] = _("the account that answered; the form asks for it")
            else:
                _read(plan, position, "full_name_given_first", BY_ALIAS)


def _find_tests(plan: ColumnPlan, table: Table, file_name: str) -> None:
    known = {test for test in (PRE_SCORE, POST_SCORE) if test in plan.mapping}
    candidates = [
        found
        for position, header in enumerate(plan.headers)
        if position not in plan.read_by and position not in plan.set_aside
        if (found := quizzes.candidate(position, header)) is not None
        # A letter grade is never a score, but it is set aside with its item's score.
        and (found.display in quizzes.LETTER or _holds_scores(table, position))
    ]
    if not candidates:
        return
    decision = quizzes.tests_decide(candidates, known=known, file_name=file_name, label=plan.label)
    for test, position in decision.chosen.items():
        _read(plan, position, test, BY_TEST)
    for position, why in decision.set_aside.items():
        plan.set_aside[position] = (
            _("the same grade, shown another way")
            if why == quizzes.SAME_GRADE
            else _("the grade in letters")
        )
    plan.notes.extend(decision.notes)


def _holds_scores(table: Table, position: int) -> bool:
    filled = scores = 0
    for _number, cells in table.rows:
        value = cells[position]
        if cell_text(value) in ("", "-"):
            continue
        filled += 1
        score, _scale, problem = parse_score_stated(value)
        scores += score is not None and not problem
    return scores > 0 and scores >= filled * _SCORE_SHARE


def _worth_listing(table: Table, position: int) -> bool:
    """A column the file names, or one with something in it (an unnamed empty column is
    only the spreadsheet's formatting)."""
    if table.headers[position] != f"Columna {column_letter(position)}":
        return True
    return any(cell_text(cells[position]) for _number, cells in table.rows)


def scores_warning(plan: ColumnPlan, *, scores_read: int) -> list[str]:
    """A warning for a file with test columns from which no score was read: the cohort
    would be left without scores, and nothing else would say so."""
    if scores_read or not plan.test_like:
        return []
    shown = [plan.label(position) for position in plan.test_like[:5]]
    more = len(plan.test_like) - len(shown)
    columns = ", ".join(shown) + (_(" and %(count)d more") % {"count": more} if more else "")
    return [
        _(
            "The file has columns that look like test scores (%(columns)s) but no score was "
            "read from it: the cohort would be left without scores. Map the pre-test and "
            "post-test columns in the import preview (the mapping is remembered for this "
            "school or partner), or import it knowing that it brings no scores."
        )
        % {"columns": columns}
    ]
