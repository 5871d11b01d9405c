"""Fixtures of the roster import tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def preview_folder(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Each test keeps its import previews in a folder of its own (never the shared one)."""
    folder = tmp_path / "previews"
    settings.ROSTER_PREVIEW_DIR = str(folder)
    return folder
