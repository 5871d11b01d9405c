"""Where an uploaded roster waits between the admin's preview and its confirmation.

A roster is personal data, so what the preview keeps (the uploaded bytes, and the preview's
rows for paging through them) lives in one private folder, never longer than a session:
- a new preview of the same cohort replaces the previous one;
- signing out deletes the user's previews (`user_logged_out`);
- every preview request, and `manage.py expire_roster_previews`, delete whatever is older
  than the session age (a preview abandoned by closing the browser, or by a session that
  simply ran out).
The user's session maps a random token to a preview's file name; names are random too and
checked before use, so a session value can never point outside the folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.http import HttpRequest

# Session key: token -> {"name", "file_name", "sha256", "cohort", ...} of the user's previews.
SESSION_KEY = "roster_import_uploads"

_NAME = re.compile(r"^[0-9a-f]{32}$")
_SUFFIXES = (".roster", ".preview.json")


class PreviewMissing(LookupError):
    """The preview's file expired, was removed, or the name is not one of ours."""


class PreviewFolderUnsafe(ImproperlyConfigured):
    """The previews' folder is not private to the server's user: rosters must not go there."""


def preview_folder_path() -> Path:
    """`ROSTER_PREVIEW_DIR`, or a folder of the system's temporary directory."""
    configured = str(getattr(settings, "ROSTER_PREVIEW_DIR", "") or "")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / "registry-roster-previews"


def preview_folder_problem(folder: Path) -> str | None:
    """Why `folder` may not hold rosters, in Spanish, or None when it is private.

    The system's temporary directory is shared: another user may have created the folder
    first (to read the rosters, or to swap files in), or made it a link to a folder of theirs.
    """
    try:
        info = folder.lstat()
    except OSError as error:
        return f"La carpeta de vistas previas {folder} no se puede usar: {error.strerror}."
    if stat.S_ISLNK(info.st_mode):
        return f"La carpeta de vistas previas {folder} es un enlace simbólico; use la carpeta real."
    if not stat.S_ISDIR(info.st_mode):
        return f"La ruta de vistas previas {folder} no es una carpeta."
    if info.st_uid != os.geteuid():
        return (
            f"La carpeta de vistas previas {folder} pertenece a otro usuario (uid {info.st_uid}); "
            "debe pertenecer al usuario del servidor."
        )
    if info.st_mode & 0o077:
        return (
            f"La carpeta de vistas previas {folder} tiene permisos "
            f"{stat.filemode(info.st_mode)}: el grupo u otros usuarios pueden entrar en ella; "
            "debe ser solo del usuario del servidor (chmod 700)."
        )
    return None


def preview_folder() -> Path:
    """The private folder (created on first use with mode 0700); refused when it is not ours
    alone."""
    folder = preview_folder_path()
    folder.parent.mkdir(parents=True, exist_ok=True)
    # mkdir's mode is reduced by the umask, never widened: 0700 at most.
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    problem = preview_folder_problem(folder)
    if problem is not None:
        raise PreviewFolderUnsafe(problem)
    return folder


def preview_max_age() -> int:
    """Seconds a preview may wait: as long as a session lives."""
    return int(settings.SESSION_COOKIE_AGE)


def _path(name: str, suffix: str) -> Path:
    if not _NAME.match(name):
        raise PreviewMissing(name)
    return preview_folder() / f"{name}{suffix}"


def _write(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def token_new() -> str:
    """A session's handle on one preview (the file names are never shown)."""
    return secrets.token_urlsafe(24)


def preview_save(*, data: bytes | None, preview: dict[str, Any]) -> str:
    """Keep a preview (and the upload it was made from, if it can still be confirmed);
    returns the preview's name."""
    name = secrets.token_hex(16)
    if data is not None:
        _write(_path(name, ".roster"), data)
    _write(_path(name, ".preview.json"), json.dumps(preview, ensure_ascii=False).encode("utf-8"))
    return name


def preview_read_file(*, name: str) -> bytes:
    try:
        return _path(name, ".roster").read_bytes()
    except OSError as error:
        raise PreviewMissing(name) from error


def preview_read(*, name: str) -> dict[str, Any]:
    try:
        preview: dict[str, Any] = json.loads(_path(name, ".preview.json").read_bytes())
    except (OSError, ValueError) as error:
        raise PreviewMissing(name) from error
    return preview


def preview_delete(*, name: str) -> None:
    """Remove a preview's files (nothing happens for one already gone)."""
    for suffix in _SUFFIXES:
        with contextlib.suppress(OSError, PreviewMissing):
            _path(name, suffix).unlink()


def previews_delete(*, names: Iterable[str]) -> None:
    for name in names:
        preview_delete(name=name)


def previews_expire(*, max_age: int | None = None) -> int:
    """Delete every preview file older than `max_age` seconds; returns how many went."""
    limit = time.time() - (preview_max_age() if max_age is None else max_age)
    removed = 0
    for path in preview_folder().iterdir():
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
    return removed


def session_previews(request: HttpRequest) -> dict[str, dict[str, Any]]:
    previews: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    return previews


@receiver(user_logged_out, dispatch_uid="roster_previews_on_sign_out")
def _delete_previews_on_sign_out(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Sent before the session is flushed: its tokens still say which files were this user's.
    if request is None or not hasattr(request, "session"):
        return
    previews_delete(names=[upload["name"] for upload in session_previews(request).values()])
