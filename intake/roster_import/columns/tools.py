"""The tools whose exports reach the registry, and the columns they add about themselves.

Each tool writes columns that describe the response or the download rather than the
participant; they are set aside (listed, never read). The headers come from each tool's own
sources and documentation, cited in fixtures/rosters/real_tools/README.md:
- Moodle's grade export: "Última descarga de este curso" / "Last downloaded from this course"
  (gradeexport_txt's `timeexported`), "Suspendido" / "Suspended" (enrolment state), and
  beside a grade item its feedback, "<item> (Retroalimentación)" / "<item> (Feedback)";
- Google Forms' responses sheet: "Marca temporal" / "Timestamp";
- Microsoft Forms' responses workbook: "ID", "Hora de inicio", "Hora de finalización",
  "Hora de la última modificación", "Comentarios del cuestionario" (and the English ones),
  and beside each question of a quiz its "Puntos: <pregunta>" and "Comentarios: <pregunta>"
  ("Points - <question>", "Feedback - <question>");
- KoboToolbox's export: the metadata questions ("start", "end", "today", "deviceid"...) and
  the columns kpi copies into every export ("_id", "_uuid", "_submission_time",
  "_validation_status", "_notes", "_status", "_submitted_by", "_tags", "__version__",
  "_index").
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from participants.names import fold

MOODLE = "moodle"
GOOGLE_FORMS = "google_forms"
MICROSOFT_FORMS = "microsoft_forms"
KOBO = "kobo"
TOOL_NAMES = {
    MOODLE: "Moodle",
    GOOGLE_FORMS: "Google Forms",
    MICROSOFT_FORMS: "Microsoft Forms",
    KOBO: "KoboToolbox",
}

ABOUT_THE_RESPONSE = _("the tool's data about the response")
QUESTION_POINTS = _("points or comments of one question")
GRADE_FEEDBACK = _("feedback on a grade")
ROW_NUMBERS = _("row numbers")

_MOODLE_META = frozenset(
    {"ULTIMA DESCARGA DE ESTE CURSO", "LAST DOWNLOADED FROM THIS COURSE", "SUSPENDIDO", "SUSPENDED"}
)
_GOOGLE_META = frozenset({"MARCA TEMPORAL", "TIMESTAMP"})
_MICROSOFT_META = frozenset(
    {
        "ID",
        "HORA DE INICIO",
        "HORA DE FINALIZACION",
        "HORA DE LA ULTIMA MODIFICACION",
        "COMENTARIOS DEL CUESTIONARIO",
        "START TIME",
        "COMPLETION TIME",
        "LAST MODIFIED TIME",
        "QUIZ FEEDBACK",
    }
)
# Compared as written (lower case): XML names, not labels.
_KOBO_META = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "subscriberid",
        "simserial",
        "phonenumber",
        "username",
        "audit",
        "_id",
        "_uuid",
        "_submission_time",
        "_validation_status",
        "_notes",
        "_status",
        "_submitted_by",
        "_tags",
        "__version__",
        "_version_",
        "_index",
        "_parent_index",
        "_parent_table_name",
        "_xform_id_string",
        "_attachments",
        "_geolocation",
        "meta/instanceid",
        "meta/deprecatedid",
        "meta/instancename",
        "formhub/uuid",
    }
)
# Microsoft Forms writes, beside each question of a quiz, "Puntos: <pregunta>" and
# "Comentarios: <pregunta>" (Spanish) or "Points - <question>" and "Feedback - <question>".
_QUESTION_EXTRA = re.compile(
    r"^\s*(?:puntos|points|comentarios|feedback)\s*(?::|-|\u2013)\s*(?P<question>.+)$",
    re.IGNORECASE,
)
_GRADE_FEEDBACK = re.compile(r"\((?:retroalimentaci[oó]n|feedback|comentario)\)\s*$", re.IGNORECASE)
_GRADE_ITEM = re.compile(r"\((?:real|porcentaje|percentage|letra|letter)\)\s*$", re.IGNORECASE)
# "N°", "Nro.", "#", "Ítem": the row's number in the list (folded, and as written).
_NUMBERING = frozenset({"", "N", "NO", "NRO", "NUM", "NUMERO", "NDEG", "ITEM", "ORDEN", "N ORDEN"})
_NUMBERING_AS_WRITTEN = frozenset({"#", "n°", "nº", "n.°", "n.º", "no.", "nro.", "ítem"})


def detect_tool(headers: list[str]) -> str:
    """Which tool wrote a file, from its headers; "" for a partner's own list."""
    folded = [fold(header) for header in headers]
    raw = {header.strip().lower() for header in headers}
    if raw & {"_uuid", "_submission_time"}:
        return KOBO
    if folded[:3] in (
        ["ID", "HORA DE INICIO", "HORA DE FINALIZACION"],
        ["ID", "START TIME", "COMPLETION TIME"],
    ):
        return MICROSOFT_FORMS
    if folded and folded[0] in _GOOGLE_META:
        return GOOGLE_FORMS
    if set(folded) & _MOODLE_META or any(_GRADE_ITEM.search(header) for header in headers):
        return MOODLE
    return ""


def tool_column(position: int, headers: list[str], tool: str) -> str:
    """Why the column is the tool's own (a reason to show), or "" for a column to read."""
    header = headers[position]
    folded = fold(header)
    if header.strip() and (folded in _NUMBERING or header.strip().lower() in _NUMBERING_AS_WRITTEN):
        return str(ROW_NUMBERS)
    if tool == KOBO and header.strip().lower() in _KOBO_META:
        return str(ABOUT_THE_RESPONSE)
    if tool == GOOGLE_FORMS and folded in _GOOGLE_META:
        return str(ABOUT_THE_RESPONSE)
    if tool == MOODLE and folded in _MOODLE_META:
        return str(ABOUT_THE_RESPONSE)
    if tool == MOODLE and _GRADE_FEEDBACK.search(header):
        return str(GRADE_FEEDBACK)
    if tool == MICROSOFT_FORMS:
        if folded in _MICROSOFT_META:
            return str(ABOUT_THE_RESPONSE)
        match = _QUESTION_EXTRA.match(header)
        others = {fold(other) for index, other in enumerate(headers) if index != position}
        if match and fold(match["question"]) in others:
            return str(QUESTION_POINTS)
    return ""
