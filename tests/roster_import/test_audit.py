"""Imports and exports leave an audit event (file hash and counts; no personal data)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from audit.models import AuditAction, AuditEvent
from courses.models import ImportBatch
from tests.roster_import.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def test_import_and_export_are_audited(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes(ROWS))
    call_command(
        "import_roster", str(path), "--course", "Curso A", "--cohort", "C1", stdout=io.StringIO()
    )
    batch = ImportBatch.objects.get()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    # Neither the file's name nor its hash: they may recognise a participant for good.
    assert "sha256" not in event.details
    assert "file" not in event.details
    assert event.details["counts"]["new"] == 3
    assert event.details["batch"] == batch.pk

    call_command("export_participations", stdout=io.StringIO())
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (export.details["export"], export.details["format"]) == ("participations", "csv")
    assert export.details["rows"] == 3


def test_a_dry_run_is_not_audited_as_an_import(tmp_path: Path) -> None:
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes(ROWS))
    call_command(
        "import_roster",
        str(path),
        "--course",
        "Curso A",
        "--cohort",
        "C1",
        "--dry-run",
        stdout=io.StringIO(),
    )
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()
