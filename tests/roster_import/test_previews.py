"""An uploaded roster waits for its confirmation no longer than a session, and not after
the user signs out."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from intake.admin_import import SESSION_KEY
from intake.roster_import.previews import preview_save, previews_expire
from tests.roster_import.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def _preview(client: Client, cohort) -> dict:  # type: ignore[no-untyped-def]
    url = reverse("admin:courses_cohort_import_roster", args=[cohort.pk])
    client.post(url, {"file": SimpleUploadedFile("lista.csv", csv_bytes(ROWS))})
    return next(iter(client.session[SESSION_KEY].values()))


def _age(folder: Path, seconds: int) -> None:
    past = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (past, past))


def test_signing_out_deletes_the_waiting_roster(cohort, admin_user, preview_folder) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    upload = _preview(client, cohort)
    kept = sorted(path.name for path in preview_folder.iterdir())
    assert kept == [f"{upload['name']}.preview.json", f"{upload['name']}.roster"]
    assert (preview_folder / f"{upload['name']}.roster").read_bytes() == csv_bytes(ROWS)

    client.post(reverse("admin:logout"))

    assert list(preview_folder.iterdir()) == []


def test_an_abandoned_preview_expires_on_the_next_preview_request(
    cohort, admin_user, preview_folder, settings
) -> None:  # type: ignore[no-untyped-def]
    abandoned = Client()
    abandoned.force_login(admin_user)
    _preview(abandoned, cohort)
    _age(preview_folder, settings.SESSION_COOKIE_AGE + 60)
    other = Client()
    other.force_login(admin_user)
    fresh = _preview(other, cohort)

    assert sorted(path.name for path in preview_folder.iterdir()) == [
        f"{fresh['name']}.preview.json",
        f"{fresh['name']}.roster",
    ]
    # The abandoned session's confirmation now finds nothing to import.
    token = next(iter(abandoned.session[SESSION_KEY]))
    url = reverse("admin:courses_cohort_import_roster", args=[cohort.pk])
    response = abandoned.post(url, {"token": token}, follow=True)
    assert "ya no está disponible" in response.content.decode()


def test_previews_younger_than_a_session_are_kept(preview_folder, settings) -> None:  # type: ignore[no-untyped-def]
    name = preview_save(data=b"x", preview={"rows": []})
    _age(preview_folder, settings.SESSION_COOKIE_AGE - 60)
    assert previews_expire() == 0
    assert len(list(preview_folder.glob(f"{name}*"))) == 2


def test_the_command_deletes_expired_previews(preview_folder, settings) -> None:  # type: ignore[no-untyped-def]
    preview_save(data=b"x", preview={"rows": []})
    _age(preview_folder, settings.SESSION_COOKIE_AGE + 1)
    out = io.StringIO()
    call_command("expire_roster_previews", stdout=out)
    assert out.getvalue().strip() == (
        f"Vistas previas de importación eliminadas (más de {settings.SESSION_COOKIE_AGE} "
        "segundos): 2."
    )
    assert list(preview_folder.iterdir()) == []


def test_the_folder_and_files_are_private(preview_folder) -> None:  # type: ignore[no-untyped-def]
    name = preview_save(data=b"x", preview={"rows": []})
    assert preview_folder.stat().st_mode & 0o777 == 0o700
    assert (preview_folder / f"{name}.roster").stat().st_mode & 0o777 == 0o600
