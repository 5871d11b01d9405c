"""The one formula escaper and the CSV writer every export goes through."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from spreadsheets import CsvWriter, cell_escape, csv_bytes, csv_lines, is_formula_text

PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_trigger_is_quoted(payload: str) -> None:
    assert cell_escape(payload) == "'" + payload
    assert not is_formula_text(cell_escape(payload))


@pytest.mark.parametrize("payload", ["  =1+1", "\u00a0@SUM(1)", "\n-2+3", " \t+A1"])
def test_a_trigger_after_leading_whitespace_is_quoted(payload: str) -> None:
    assert cell_escape(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", [-2, -1.5, Decimal("-0.5"), 0, None, True, date(2024, 3, 1), "Lima", "", "Ana-María"]
)
def test_numbers_dates_and_plain_text_are_unchanged(value: object) -> None:
    assert cell_escape(value) == value
    assert type(cell_escape(value)) is type(value)


def test_csv_keeps_numbers_as_numbers_and_quotes_text() -> None:
    body = csv_bytes([["a", "b"], [-3, "-3"], ["\r=1", 1.5]])
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert rows == [["a", "b"], ["-3", "'-3"], ["'\r=1", "1.5"]]


def test_streamed_csv_equals_the_whole_file() -> None:
    rows = [["x", "=y"], [1, "@z"]]
    assert "".join(csv_lines(rows)).encode("utf-8") == csv_bytes(rows)


@pytest.mark.parametrize("delimiter", [",", ";"])
@pytest.mark.parametrize("payload", ["x;=1+1", "x,=1+1", 'a;"b",c'])
def test_a_cell_holding_a_list_separator_is_always_quoted(delimiter: str, payload: str) -> None:
    # Excel in a Spanish locale splits at ";" whatever the delimiter: unquoted, "=1+1" would
    # become a cell of its own and run as a formula.
    buffer = io.StringIO()
    CsvWriter(buffer, bom=False, delimiter=delimiter, lineterminator="\r\n").writerow(
        ["Ana", payload, 3, None, ""]
    )
    quoted = '"' + payload.replace('"', '""') + '"'
    assert buffer.getvalue() == delimiter.join(["Ana", quoted, "3", "", ""]) + "\r\n"
    rows = list(csv.reader(io.StringIO(buffer.getvalue(), newline=""), delimiter=delimiter))
    assert rows == [["Ana", payload, "3", "", ""]]


def test_the_streamed_csv_quotes_a_list_separator_too() -> None:
    assert list(csv_lines([["x;=1+1", 1.5]], bom=False)) == ['"x;=1+1",1.5\r\n']
