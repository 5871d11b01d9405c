"""Read a spreadsheet's bytes (a roster, a review sheet) into a header and rows, refusing
anything that is not a CSV or XLSX table.

The content decides the format, never the name: an XLSX is a zip with `[Content_Types].xml`
and `xl/` parts, a CSV is text that decodes. Rows stream from the file into the table and a
file too wide (`ROSTER_MAX_COLUMNS`) or too large (`ROSTER_MAX_CELLS`) is refused while it
streams, before its rows are held and padded: any file under the upload limit is read in
bounded memory and time.

- `table`: the table, its limits and the messages that name them;
- `text`: a CSV's encoding, decided line by line (UTF-8, or Windows-1252);
- `delimited`: CSV; `workbook`: XLSX.
"""

from __future__ import annotations

from spreadsheets.reading.delimited import read_csv
from spreadsheets.reading.table import (
    HeaderRule,
    RosterFileError,
    Table,
    check_size,
    column_letter,
    max_cells,
    max_columns,
    max_unpacked_bytes,
)
from spreadsheets.reading.text import decode_text
from spreadsheets.reading.workbook import read_xlsx

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

__all__ = [
    "HeaderRule",
    "RosterFileError",
    "Table",
    "check_size",
    "column_letter",
    "decode_text",
    "max_cells",
    "max_columns",
    "max_unpacked_bytes",
    "read_csv",
    "read_table",
    "read_xlsx",
]


def read_table(data: bytes, *, file_name: str, header: HeaderRule) -> Table:
    """Detect the format from the bytes and return the header and the non-blank rows."""
    check_size(len(data), file_name=file_name)
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(data, file_name=file_name, header=header)
    if data.startswith(_OLE2_MAGIC):
        raise RosterFileError(
            f"{file_name}: es un libro de Excel 97-2003 (.xls); guárdelo como .xlsx o .csv."
        )
    return read_csv(data, file_name=file_name, header=header)
