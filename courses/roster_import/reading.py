"""Read a roster file's bytes into a header and rows, refusing anything that is not a roster.

The content decides the format, never the name: an XLSX is a zip with `[Content_Types].xml`
and `xl/` parts, a CSV is text that decodes. Before openpyxl opens a zip its declared sizes
are checked, so a zip bomb is refused without being inflated (zipfile stops at the declared
size and fails the CRC if a member lies about it). openpyxl parses the XML with defusedxml
when it is installed, which refuses entity declarations (billion-laughs bombs).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from openpyxl import load_workbook

from courses.roster_import.headers import header_score
from courses.roster_import.values import cell_text

# The header row is looked for among the first rows (title rows and blank lines above it).
HEADER_SEARCH_ROWS = 30
MIN_HEADER_FIELDS = 2
CSV_DELIMITERS = (",", ";", "\t", "|")
# An XLSX's XML compresses well, but not a thousand times.
MAX_COMPRESSION_RATIO = 200

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


class RosterFileError(ValueError):
    """A file that cannot be read as a roster; the message names the file and the reason."""


@dataclass
class Table:
    """A roster's header and data rows, each row with its number as a spreadsheet shows it."""

    file_format: str  # "csv" or "xlsx"
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Any]]]
    sheet_name: str = ""
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def max_unpacked_bytes() -> int:
    return int(
        getattr(settings, "ROSTER_MAX_UNPACKED_BYTES", 20 * settings.ROSTER_MAX_UPLOAD_BYTES)
    )


def check_size(size: int, *, file_name: str) -> None:
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if size == 0:
        raise RosterFileError(f"{file_name}: el archivo está vacío.")
    if size > limit:
        raise RosterFileError(
            f"{file_name}: el archivo pesa {size:,} bytes y el límite es {limit:,} bytes."
        )


def read_table(data: bytes, *, file_name: str) -> Table:
    """Detect the format from the bytes and return the header and the non-blank rows."""
    check_size(len(data), file_name=file_name)
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, file_name=file_name)
    if data.startswith(_OLE2_MAGIC):
        raise RosterFileError(
            f"{file_name}: es un libro de Excel 97-2003 (.xls); guárdelo como .xlsx o .csv."
        )
    return _read_csv(data, file_name=file_name)


def _find_header(
    rows: list[tuple[int, list[Any]]], *, file_name: str
) -> tuple[int, list[str], int]:
    """(index in rows, header cells, spreadsheet row number) of the first header-like row."""
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if header_score(cells) >= MIN_HEADER_FIELDS:
            return index, [cell_text(cell) for cell in cells], number
    raise RosterFileError(
        f"{file_name}: no se encontró la fila de encabezados en las primeras "
        f"{HEADER_SEARCH_ROWS} filas (se esperan columnas como Nombres, Apellidos, DNI, Sexo)."
    )


def _is_blank(cells: list[Any]) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def _table_from_rows(
    rows: list[tuple[int, list[Any]]], *, file_name: str, file_format: str
) -> Table:
    index, headers, header_row = _find_header(rows, file_name=file_name)
    data_rows = [(number, cells) for number, cells in rows[index + 1 :] if not _is_blank(cells)]
    width = max([len(headers), *(len(cells) for _, cells in data_rows)])
    headers = _unique_headers(headers + [""] * (width - len(headers)))
    padded = [(number, list(cells) + [None] * (width - len(cells))) for number, cells in data_rows]
    return Table(file_format=file_format, header_row=header_row, headers=headers, rows=padded)


def _unique_headers(headers: list[str]) -> list[str]:
    """Raw records are keyed by header: give blank and repeated headers distinct names."""
    seen: dict[str, int] = {}
    unique = []
    for position, header in enumerate(headers):
        name = header or f"Columna {_column_letter(position)}"
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_letter(position: int) -> str:
    """Spreadsheet column letter of a 0-based column position (0 -> "A")."""
    return _column_letter(position)


# --- CSV -------------------------------------------------------------------------------------


def decode_text(data: bytes, *, file_name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 with or without BOM, else Windows-1252 (Excel's in Peru)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _looks_binary(text):
            break
        return text, encoding
    raise RosterFileError(
        f"{file_name}: el contenido no es un CSV ni un XLSX (no se puede leer como texto)."
    )


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    controls = sum(1 for char in sample if ord(char) < 32 and char not in "\r\n\t\f")
    return controls > max(2, len(sample) // 100)


def _read_csv(data: bytes, *, file_name: str) -> Table:
    text, encoding = decode_text(data, file_name=file_name)
    best: tuple[int, int, str] | None = None
    head = text.splitlines()[:HEADER_SEARCH_ROWS]
    for delimiter in CSV_DELIMITERS:
        rows = list(csv.reader(head, delimiter=delimiter))
        score = max((header_score(row) for row in rows), default=0)
        columns = max((len(row) for row in rows), default=0)
        if best is None or (score, columns) > best[:2]:
            best = (score, columns, delimiter)
    delimiter = best[2] if best else ","
    try:
        records = [
            (number, row)
            for number, row in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
            )
        ]
    except csv.Error as error:
        raise RosterFileError(f"{file_name}: CSV mal formado ({error}).") from error
    table = _table_from_rows(records, file_name=file_name, file_format="csv")
    table.encoding = encoding
    table.delimiter = delimiter
    return table


# --- XLSX ------------------------------------------------------------------------------------


def _check_zip(data: bytes, *, file_name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise RosterFileError(f"{file_name}: el archivo XLSX está dañado.") from error
    with archive:
        names = archive.namelist()
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise RosterFileError(f"{file_name}: es un archivo comprimido pero no un libro XLSX.")
        total = 0
        limit = max_unpacked_bytes()
        for info in archive.infolist():
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if total > limit or ratio > MAX_COMPRESSION_RATIO:
                raise RosterFileError(
                    f"{file_name}: el XLSX se descomprime a un tamaño desproporcionado "
                    f"(posible bomba zip); no se lee."
                )


def _read_xlsx(data: bytes, *, file_name: str) -> Table:
    _check_zip(data, file_name=file_name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken or hostile file
        raise RosterFileError(
            f"{file_name}: el XLSX no se puede leer ({type(error).__name__})."
        ) from error
    try:
        sheets = [workbook.active, *workbook.worksheets] if workbook.active else workbook.worksheets
        seen: set[str] = set()
        first_error: RosterFileError | None = None
        for sheet in sheets:
            if sheet is None or sheet.title in seen:
                continue
            seen.add(sheet.title)
            try:
                # The stored dimensions are often wrong (too small cuts rows off, too wide
                # pads every row to thousands of cells): read what the sheet really holds.
                sheet.reset_dimensions()  # type: ignore[union-attr]
                rows = [
                    (number, list(cells))
                    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
                table = _table_from_rows(rows, file_name=file_name, file_format="xlsx")
            except RosterFileError as error:
                first_error = first_error or error
                continue
            except Exception as error:  # a hostile sheet (entity bomb) fails while parsing
                raise RosterFileError(
                    f"{file_name}: la hoja '{sheet.title}' no se puede leer "
                    f"({type(error).__name__})."
                ) from error
            table.sheet_name = sheet.title
            return table
    finally:
        workbook.close()
    raise first_error or RosterFileError(f"{file_name}: el libro no tiene hojas.")
