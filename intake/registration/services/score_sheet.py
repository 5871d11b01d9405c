"""Entering pre/post scores of a cohort's enrollments, one or the whole sheet at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest

from accounts.access.user_scope import can_manage_cohort
from assessments.models import Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Enrollment
from participants.changes import counted_data_changed


@transaction.atomic
def scores_enter(
    *,
    actor: Any,
    enrollment: Enrollment,
    phase: str,
    raw_score: Decimal | None,
    scale_max: Decimal,
    request: HttpRequest | None = None,
) -> Score | None:
    """Set (or, with raw_score None, leave alone) one pre/post score; audited when changed.

    Returns the score when it was written, None when there was nothing to change (no value,
    or the same value on the same scale), so that the sheet can count what it changed."""
    counted_data_changed()
    if not can_manage_cohort(actor, enrollment.cohort):
        raise PermissionDenied
    if raw_score is None:
        return None
    score = Score.objects.filter(enrollment=enrollment, phase=phase).first()
    before = None if score is None else [str(score.raw_score), str(score.scale_max)]
    if score is None:
        score = Score(enrollment=enrollment, phase=phase)
    elif score.raw_score == raw_score and score.scale_max == scale_max:
        return None
    score.raw_score = raw_score
    score.scale_max = scale_max
    score.percent = Decimal(0)  # recomputed by Score.save from the two values above
    score.full_clean()
    score.save()
    audit_record(
        actor=actor,
        action=AuditAction.SCORE_EDIT,
        obj=enrollment.person,
        details={
            "cohort": enrollment.cohort_id,
            "phase": phase,
            "score": [before, [str(raw_score), str(scale_max)]],
        },
        request=request,
    )
    return score


@transaction.atomic
def cohort_scores_enter(
    *,
    actor: Any,
    entries: list[tuple[Enrollment, str, Decimal]],
    scale_max: Decimal,
    request: HttpRequest | None = None,
) -> int:
    """Several scores at once (the cohort's score sheet): all saved, or none. Returns how
    many were new or changed (a sheet resubmits every score it shows)."""
    changed = 0
    for enrollment, phase, raw_score in entries:
        written = scores_enter(
            actor=actor,
            enrollment=enrollment,
            phase=phase,
            raw_score=raw_score,
            scale_max=scale_max,
            request=request,
        )
        changed += written is not None
    return changed
