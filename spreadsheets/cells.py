"""A spreadsheet cell as the text a record keeps."""

from __future__ import annotations

from datetime import date, datetime


def cell_text(value: object) -> str:
    """A cell as text, the way the raw record keeps it (1234567.0 -> "1234567")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
