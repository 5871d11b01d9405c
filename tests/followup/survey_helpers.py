"""Waves, strata and sample members made directly with the ORM for the response import and
the estimates' tests (the sampling service is tested on its own)."""

from __future__ import annotations

import itertools
from typing import Any

from followup.models import (
    MemberStatus,
    QuestionKind,
    SurveyWave,
    WaveMember,
    WaveQuestion,
    WaveStratum,
)
from participants.models import Person
from tests.factories import PersonFactory, UserFactory

_tokens = itertools.count(1)


def wave_make(name: str = "Seguimiento 2025", **fields: Any) -> SurveyWave:
    fields.setdefault("purpose", "Saber si aplican lo aprendido.")
    fields.setdefault("seed", 20250101)
    fields.setdefault("created_by", UserFactory(username=f"maker-{name[:20]}"))
    return SurveyWave.objects.create(name=name, **fields)


def stratum_make(wave: SurveyWave, key: str, population: int, **fields: Any) -> WaveStratum:
    fields.setdefault("label", key)
    fields.setdefault("eligible", population)
    fields.setdefault("allocated", 0)
    return WaveStratum.objects.create(wave=wave, key=key, population=population, **fields)


def question_make(
    wave: SurveyWave, code: str, kind: str = QuestionKind.YES_NO, **fields: Any
) -> WaveQuestion:
    fields.setdefault("text", f"Pregunta {code}")
    return WaveQuestion.objects.create(wave=wave, code=code, kind=kind, **fields)


def member_make(
    stratum: WaveStratum,
    *,
    person: Person | None = None,
    status: str = MemberStatus.SELECTED,
    token: str | None = None,
    **fields: Any,
) -> WaveMember:
    number = next(_tokens)
    return WaveMember.objects.create(
        wave=stratum.wave,
        stratum=stratum,
        person=person or PersonFactory(),
        token=token or f"tok{number:05d}",
        draw_order=number,
        status=status,
        **fields,
    )
