"""CSV -> table, streamed: each line's field count is checked before the row is kept.

The delimiter is chosen on a bounded sample of the text (the first lines, at most
`SAMPLE_CHARS` characters), so that neither a very long line nor a very long cell reaches the
detection; any error the csv module raises becomes a message naming the row.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from spreadsheets.reading.table import (
    HEADER_SEARCH_ROWS,
    HeaderRule,
    RosterFileError,
    Table,
    TableBuilder,
    column_letter,
    too_many_columns,
)
from spreadsheets.reading.text import decode_csv_text

DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def read_csv(data: bytes, *, file_name: str, header: HeaderRule) -> Table:
    decoded = decode_csv_text(data, file_name=file_name)
    delimiter = detect_delimiter(decoded.text, header=header)
    builder = TableBuilder(file_name=file_name, file_format="csv", header=header)
    lines = _Lines(decoded.text)
    reader = csv.reader(lines, delimiter=delimiter)
    number = 0
    while True:
        number += 1
        lines.start_record()
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise _csv_error(file_name, number, lines.record(), delimiter, error) from error
        if len(row) > builder.max_columns:
            raise too_many_columns(
                file_name=file_name, where="", row=number, position=builder.max_columns
            )
        if not builder.add(number, row):
            break
    table = builder.build()
    table.encoding, table.delimiter = decoded.encoding, delimiter
    table.notes.extend(decoded.notes())
    return table


def detect_delimiter(text: str, *, header: HeaderRule) -> str:
    """The delimiter under which the first lines look most like the header."""
    sample = text[:SAMPLE_CHARS]
    if len(text) > SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # no cut line at the end of the sample
    head = sample.splitlines()[:HEADER_SEARCH_ROWS]
    best: tuple[int, int, str] | None = None
    for delimiter in DELIMITERS:
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:  # an unbalanced quote in the sample: not this delimiter's fault
            continue
        score = max((header.score(row) for row in rows), default=0)
        columns = max((len(row) for row in rows), default=0)
        if best is None or (score, columns) > best[:2]:
            best = (score, columns, delimiter)
    return best[2] if best else ","


class _Lines:
    """The text's lines for csv.reader, remembering those of the record being read."""

    def __init__(self, text: str) -> None:
        # Lines as io.StringIO(newline="") gives them, without its copy of the whole text
        # (four bytes a character).
        self._lines: Iterator[str] = (match.group() for match in _LINE.finditer(text))
        self._record: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._record.append(line)
        return line

    def start_record(self) -> None:
        self._record = []

    def record(self) -> str:
        return "".join(self._record)


def _csv_error(
    file_name: str, number: int, record: str, delimiter: str, error: csv.Error
) -> RosterFileError:
    limit = csv.field_size_limit()
    if "field larger than field limit" in str(error):
        position = _long_field_position(record, delimiter, limit)
        return RosterFileError(
            f"{file_name}: la fila {number}, columna {column_letter(position)}, tiene una celda "
            f"de más de {limit:,} caracteres; una lista de participantes no tiene celdas tan "
            "largas."
        )
    return RosterFileError(
        f"{file_name}: CSV mal formado en la fila {number} (revise las comillas y los "
        "separadores de esa fila)."
    )


def _long_field_position(record: str, delimiter: str, limit: int) -> int:
    """0-based position of the first field longer than `limit` in one record's text."""
    position = length = 0
    quoted = False
    for char in record:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            position, length = position + 1, 0
        else:
            length += 1
            if length > limit:
                break
    return position
