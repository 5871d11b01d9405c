"""The previews' folder: read from ROSTER_PREVIEW_DIR, created 0700, refused when not private."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from intake.checks import preview_folder_check
from intake.roster_import import previews
from intake.roster_import.previews import PreviewFolderUnsafe, preview_save

pytestmark = pytest.mark.django_db


def test_the_setting_is_read_from_the_environment(tmp_path: Path) -> None:
    folder = tmp_path / "roster-previews"
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.ROSTER_PREVIEW_DIR)"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "registry.settings",
        "ROSTER_PREVIEW_DIR": str(folder),
    }
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == str(folder)


def test_the_folder_is_created_private_whatever_the_umask(preview_folder: Path) -> None:
    previous = os.umask(0)
    try:
        created = previews.preview_folder()
    finally:
        os.umask(previous)
    assert created == preview_folder
    assert stat.S_IMODE(created.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o707, 0o750])
def test_a_folder_others_can_enter_is_refused(preview_folder: Path, mode: int) -> None:
    preview_folder.mkdir()
    preview_folder.chmod(mode)
    with pytest.raises(PreviewFolderUnsafe, match="chmod 700") as error:
        preview_save(data=b"DNI;Nombre\n", preview={})
    assert str(preview_folder) in str(error.value)
    assert list(preview_folder.iterdir()) == []


def test_a_folder_of_another_user_is_refused(preview_folder: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    preview_folder.mkdir(mode=0o700)
    owner = preview_folder.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    with pytest.raises(PreviewFolderUnsafe, match="pertenece a otro usuario"):
        preview_save(data=b"DNI;Nombre\n", preview={})


def test_a_link_to_another_folder_is_refused(preview_folder: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    preview_folder.symlink_to(elsewhere)
    with pytest.raises(PreviewFolderUnsafe, match="enlace simbólico"):
        preview_save(data=b"DNI;Nombre\n", preview={})
    assert list(elsewhere.iterdir()) == []


def test_the_shared_default_folder_is_checked_too(settings, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_PREVIEW_DIR = ""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    planted = tmp_path / "registry-roster-previews"
    planted.mkdir()
    planted.chmod(0o777)
    with pytest.raises(PreviewFolderUnsafe, match="chmod 700"):
        previews.preview_folder()


def test_the_import_page_says_in_spanish_why_it_cannot_keep_a_roster(  # type: ignore[no-untyped-def]
    preview_folder: Path, cohort, admin_user
) -> None:
    preview_folder.mkdir()
    preview_folder.chmod(0o777)
    client = Client()
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:courses_cohort_import_roster", args=[cohort.pk]), follow=True
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "No se puede importar ninguna lista por ahora" in text
    assert "chmod 700" in text


def test_the_system_check_reports_an_unsafe_folder(preview_folder: Path) -> None:
    assert preview_folder_check() == []
    preview_folder.mkdir()
    preview_folder.chmod(0o777)
    (error,) = preview_folder_check()
    assert error.id == "intake.E001"
    assert "otros usuarios pueden entrar" in error.msg
