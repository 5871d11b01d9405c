"""Import of a wave's responses from a survey tool's export (ODK Central, LimeSurvey,
KoboToolbox; CSV or XLSX): `reading` maps the file's columns to the wave, `preview` says what
each row would become, `committing` writes the responses, in one transaction.

Consent (Ley 29733): a response is refused when the person had withdrawn their consent to
follow-up contact before answering (or, for a response without a date, has withdrawn it by
the import); a withdrawal after answering keeps the answers already given, because a
withdrawal stops further contact but does not undo what was lawfully collected before it.
"""

from __future__ import annotations

from followup.responses.committing import responses_import
from followup.responses.preview import Outcome, ResponsePreview, RowPlan, responses_preview
from followup.responses.reading import ColumnMap, ResponseFileError

__all__ = [
    "ColumnMap",
    "Outcome",
    "ResponseFileError",
    "ResponsePreview",
    "RowPlan",
    "responses_import",
    "responses_preview",
]
