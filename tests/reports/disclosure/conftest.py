"""Suppression at the thresholds the registry ships with (the parent conftest sets k = 1
for the hand-computed figures)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _exact_figures(settings):  # type: ignore[no-untyped-def]
    settings.SUPPRESSION_THRESHOLD = 5
    settings.SENSITIVE_SUPPRESSION_THRESHOLD = 10
