"""Placeholder DNIs: what people type when they do not know a DNI or will not give it.

"00000000", "11111111", "12345678", "87654321" ... are not anyone's DNI. Kept as evidence they
would link every person who got the same filler into one (a false merge, the worse error), so
the registry treats them as no DNI at all. Pure Python: the import, the forms and the engine
share this one rule.
"""

from __future__ import annotations

_DNI_LENGTH = 8


# Digit runs people type: in numeric order, and along the keyboard row, where 0 follows 9
# ("34567890"); each read forwards and backwards. "45678901" is in neither and may be a DNI.
_RUNS = ("0123456789", "1234567890", "9876543210", "0987654321")


def _fillers(length: int) -> set[str]:
    """One digit repeated, or `length` consecutive digits of a run."""
    repeated = {digit * length for digit in "0123456789"}
    runs = {run[start : start + length] for run in _RUNS for start in range(len(run) - length + 1)}
    return repeated | runs


# A spreadsheet turns "01111111" into the number 1111111 and the import pads it back, so a
# filler is one with or without that leading zero. The set is small (a few dozen values):
# a membership test keeps the engine's pass over a million DNIs cheap.
_EIGHT = _fillers(_DNI_LENGTH) | {"0" + value for value in _fillers(_DNI_LENGTH - 1)}
_PLACEHOLDERS = frozenset(_EIGHT | {value[1:] for value in _EIGHT if value[0] == "0"})


def is_placeholder_dni(digits: str) -> bool:
    """True for a filler DNI of 8 digits, or of 7 that the import pads with a leading zero."""
    return digits in _PLACEHOLDERS
