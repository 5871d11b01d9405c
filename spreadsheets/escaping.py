"""The one formula escaper of every spreadsheet the registry writes.

Excel, LibreOffice and Google Sheets run a cell that starts with = + - @ as a formula, and
treat a leading tab or carriage return the same way; a cell padded with spaces before the
"=" is run too. Anyone who can type into a roster cell could otherwise make an analyst's
spreadsheet open a link or launch a program (CSV injection). Such text is prefixed with a
single quote, the mark spreadsheets themselves use for "this is text".

Only text is escaped: a number stays a number (a negative score is -2, not the text "'-2"),
and so do dates and empty cells.
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE_MARK = "'"


def is_formula_text(value: Any) -> bool:
    """True for text a spreadsheet would read as the start of a formula."""
    if not isinstance(value, str) or not value:
        return False
    # The tab and carriage return are triggers themselves, so they are checked before the
    # leading whitespace is skipped.
    return value.startswith(FORMULA_TRIGGERS) or value.lstrip().startswith(FORMULA_TRIGGERS)


def cell_escape(value: Any) -> Any:
    """`value` made inert for a spreadsheet: formula-like text quoted, anything else as is."""
    if is_formula_text(value):
        return ESCAPE_MARK + value
    return value
