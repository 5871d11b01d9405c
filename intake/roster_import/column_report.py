"""The columns of an import as the command's report says them: read, set aside, unread."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def column_lines(columns: dict[str, Any], warnings: list[str]) -> list[str]:
    """What became of each column, one line per kind, then the notes and warnings."""
    if not columns:
        return []
    lines = []
    if columns.get("tool"):
        lines.append(_("Export of %(tool)s.") % {"tool": columns["tool"]})
    if columns["read"]:
        read = "; ".join(
            _("%(column)s as %(field)s") % {"column": item["column"], "field": item["label"]}
            + (_(" (remembered)") if item["remembered"] else "")
            for item in columns["read"]
        )
        lines.append(_("Columns read: %(columns)s.") % {"columns": read})
    for group in columns["set_aside"]:
        lines.append(
            _("Columns not imported, %(reason)s: %(columns)s.")
            % {"reason": group["reason"], "columns": ", ".join(group["columns"])}
        )
    if columns["unread"]:
        unread = ", ".join(item["column"] for item in columns["unread"])
        lines.append(
            _(
                "Columns left unread (their cells are kept only in the row as received): "
                "%(columns)s."
            )
            % {"columns": unread}
        )
    lines.extend(columns["notes"])
    lines.extend(_("Warning: %(warning)s") % {"warning": warning} for warning in warnings)
    return lines


def column_notices(file_name: str, columns: dict[str, Any], warnings: list[str]) -> list[str]:
    """For a summary of many files: the columns a file left unread, and its warnings."""
    lines = []
    if columns.get("unread"):
        unread = ", ".join(item["column"] for item in columns["unread"])
        lines.append(
            _("%(file)s: columns left unread: %(columns)s.")
            % {"file": file_name, "columns": unread}
        )
    lines.extend(
        f"{file_name}: " + _("Warning: %(warning)s") % {"warning": warning} for warning in warnings
    )
    return lines
