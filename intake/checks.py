"""`manage.py check`: is the folder where rosters wait for confirmation private?"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from intake.roster_import.previews import preview_folder_path, preview_folder_problem


@register()
def preview_folder_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    folder = preview_folder_path()
    if not folder.exists() and not folder.is_symlink():
        return []  # created with mode 0700 on first use
    problem = preview_folder_problem(folder)
    if problem is None:
        return []
    return [
        Error(
            problem,
            hint="Configure ROSTER_PREVIEW_DIR con una carpeta propia del usuario del servidor "
            "(chmod 700), o borre la carpeta para que el registro la cree.",
            id="intake.E001",
        )
    ]
