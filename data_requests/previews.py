"""Import previews on disk that mention a cancelled person.

A preview (the uploaded file and the rows and result pages shown for it) waits in a private
folder for at most a session (`intake.roster_import.previews`), also after its import was
confirmed. Within that time it may hold her rows. A preview is cheap to lose (its user
uploads the file again), so the loose test sessions get applies (`may_name_them`: an
identifier, or a given name and a paternal surname anywhere in it), and a mention by
initial and surname counts too. The preview's text is read as stored, and the upload's bytes
as text too (a CSV); a workbook is compressed, but its rows are in the preview's text.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from data_requests.initials import InitialMentions
from data_requests.traces import PersonTraces


def previews_mentioning(*, traces: PersonTraces, mentions: InitialMentions) -> list[str]:
    """The names of the previews that may mention the person."""
    # Imported here: the previews belong to the roster intake, above this app.
    from intake.roster_import.previews import preview_folder

    folder = preview_folder()
    names = {path.name.split(".", 1)[0] for path in folder.iterdir() if path.is_file()}
    return [
        name
        for name in sorted(names)
        if any(_mentions(path, traces, mentions) for path in folder.glob(f"{name}.*"))
    ]


def previews_delete(*, names: list[str]) -> None:
    from intake.roster_import.previews import previews_delete as delete

    delete(names=names)


def _mentions(path: Path, traces: PersonTraces, mentions: InitialMentions) -> bool:
    text = ""
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        # Latin-1 reads any bytes; UTF-8 is tried first, as previews are written in it.
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    return bool(text) and (traces.may_name_them(text) or mentions.found_in(text))
