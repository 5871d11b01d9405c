"""The questions of a wave: what the survey tool's export will carry as columns, and which
survey indicator each answer measures (only those get an estimate)."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Indicator, IndicatorKind
from followup.models import QuestionKind, SurveyWave, WaveQuestion, WaveStatus
from followup.waves import WaveError
from participants.changes import counted_data_changed

# A column name every survey tool accepts (ODK and Kobo take XML names, LimeSurvey question
# codes start with a letter and take no spaces): a letter, then letters, digits or "_".
CODE_RULE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,59}$")


@transaction.atomic
def wave_question_add(
    *,
    wave: SurveyWave,
    code: str,
    text: str,
    kind: str,
    indicator: Indicator | None,
    actor: User,
) -> WaveQuestion:
    """Add a question; refused, in Spanish, once the wave is closed or when the code is not
    a column name the tools take, is taken, or the indicator is not measured by survey."""
    code, text = code.strip(), text.strip()
    if wave.status == WaveStatus.CLOSED:
        raise WaveError("La ola está cerrada: ya no se le agregan preguntas.")
    if not CODE_RULE.match(code):
        raise WaveError(
            f"«{code}» no sirve como columna: use una letra y luego letras, cifras o «_» "
            "(sin espacios ni tildes), como en el formulario de la encuesta."
        )
    if wave.questions.filter(code__iexact=code).exists():
        raise WaveError(f"La ola ya tiene una pregunta «{code}».")
    if kind not in QuestionKind.values:
        raise WaveError(
            f"'{kind}' no es un tipo de pregunta; use {', '.join(QuestionKind.values)}."
        )
    if not text:
        raise WaveError("Escriba el texto de la pregunta.")
    if indicator is not None and indicator.kind != IndicatorKind.SURVEY:
        raise WaveError(
            f"El indicador {indicator.code} no se mide por encuesta: elija uno medido por encuesta."
        )
    if indicator is not None and kind == QuestionKind.TEXT:
        raise WaveError("Una pregunta de texto libre no mide un indicador: elija sí/no o número.")
    # An indicator's question changes which estimate the reports show for it.
    counted_data_changed()
    question = WaveQuestion.objects.create(
        wave=wave, code=code, text=text, kind=kind, indicator=indicator
    )
    audit_record(
        actor=actor,
        action=AuditAction.SURVEY_SAMPLE,
        obj=wave,
        details={
            "step": "question",
            "code": code,
            "kind": kind,
            "indicator": indicator.code if indicator else None,
        },
    )
    return question
