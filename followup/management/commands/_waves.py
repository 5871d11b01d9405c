"""What the follow-up commands share: finding a wave by id or name."""

from __future__ import annotations

from django.core.management.base import CommandError

from followup.models import SurveyWave


def wave_named(value: str) -> SurveyWave:
    """The wave with this id or this exact name."""
    found = SurveyWave.objects.filter(name=value).first()
    if found is None and value.isdigit():
        found = SurveyWave.objects.filter(pk=int(value)).first()
    if found is None:
        raise CommandError(f"No existe la ola «{value}» (indique su número o su nombre exacto).")
    return found
