"""The formula-escaping CSV writer every export uses."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from spreadsheets import CsvWriter as FormulaEscapingWriter
from spreadsheets import cell_escape as escape_formula


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+51 987", "'+51 987"),
        ("-2", "'-2"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Quispe", "Quispe"),
        ("", ""),
        (-2, -2),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_escape_formula(value: object, escaped: object) -> None:
    assert escape_formula(value) == escaped


def test_writer_writes_bom_and_escapes_every_cell() -> None:
    handle = io.StringIO()
    writer = FormulaEscapingWriter(handle, lineterminator="\n")
    writer.writerows([["a", "=b"], ["@c", 3]])
    assert handle.getvalue() == "\ufeffa,'=b\n'@c,3\n"


def test_writer_without_bom() -> None:
    handle = io.StringIO()
    FormulaEscapingWriter(handle, bom=False, lineterminator="\n").writerow(["x"])
    assert handle.getvalue() == "x\n"
