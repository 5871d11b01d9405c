"""XLSX -> table, refusing a hostile workbook before openpyxl holds any of it in memory.

Before openpyxl opens the zip, its declared sizes are checked, so a zip bomb is refused
without being inflated (zipfile stops at the declared size and fails the CRC if a member
lies about it). Then every XML part is read as a stream (`scan`): a value past the column
limit, more cells or shared strings than the file may hold, a row past Excel's last, or
more XML elements than such cells need, are refused there; openpyxl itself would parse a
sheet in full just to size it when its stored dimension is missing. The stored dimension is
never trusted: too small it cuts rows off, too wide it pads every row. XML is parsed with
defusedxml, which refuses entity declarations (billion-laughs bombs); openpyxl uses it too.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from openpyxl import load_workbook
from openpyxl.packaging.manifest import Manifest
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.reader.workbook import WorkbookParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES
from openpyxl.xml.functions import fromstring

from spreadsheets.reading.scan import PackageBudget, scan_part
from spreadsheets.reading.table import (
    HeaderRule,
    RosterFileError,
    Table,
    TableBuilder,
    max_unpacked_bytes,
)

# An XLSX's XML compresses well, but not a thousand times.
MAX_COMPRESSION_RATIO = 200


def read_xlsx(data: bytes, *, file_name: str, header: HeaderRule) -> Table:
    _check_package(data, file_name=file_name)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken or hostile file
        raise _unreadable(file_name, error) from error
    try:
        sheets = [workbook.active, *workbook.worksheets] if workbook.active else workbook.worksheets
        seen: set[str] = set()
        first_error: RosterFileError | None = None
        for sheet in sheets:
            if sheet is None or sheet.title in seen:
                continue
            seen.add(sheet.title)
            builder = _read_sheet(sheet, file_name=file_name, header=header)
            if not builder.header_row:
                try:
                    builder.build()
                except RosterFileError as error:
                    first_error = first_error or error
                continue
            table = builder.build()
            table.sheet_name = sheet.title
            return table
    finally:
        workbook.close()
    raise first_error or RosterFileError(f"{file_name}: el libro no tiene hojas.")


def _read_sheet(sheet: Any, *, file_name: str, header: HeaderRule) -> TableBuilder:
    builder = TableBuilder(
        file_name=file_name, file_format="xlsx", where=f"hoja «{sheet.title}»: ", header=header
    )
    try:
        sheet.reset_dimensions()
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not builder.add(number, cells):
                break
    except RosterFileError:
        raise
    except Exception as error:  # a sheet that passed the scan yet does not parse
        raise RosterFileError(
            f"{file_name}: la hoja '{sheet.title}' no se puede leer ({type(error).__name__})."
        ) from error
    return builder


def _unreadable(file_name: str, error: BaseException) -> RosterFileError:
    return RosterFileError(f"{file_name}: el XLSX no se puede leer ({type(error).__name__}).")


def _check_package(data: bytes, *, file_name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise RosterFileError(f"{file_name}: el archivo XLSX está dañado.") from error
    with archive:
        names = archive.namelist()
        if ARC_CONTENT_TYPES not in names or not any(n.startswith("xl/") for n in names):
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
        titles = _sheet_titles(archive, file_name=file_name)
        budget = PackageBudget()
        for info in archive.infolist():
            if info.is_dir() or not _is_xml(archive, info):
                continue
            title = titles.get(info.filename)
            where = f"hoja «{title}»: " if title else ""
            try:
                with archive.open(info) as source:
                    scan_part(source, file_name=file_name, where=where, budget=budget)
            except RosterFileError:
                raise
            except Exception as error:  # an entity bomb, or XML that does not parse
                raise _unreadable(file_name, error) from error


def _sheet_titles(archive: zipfile.ZipFile, *, file_name: str) -> dict[str, str]:
    """Part name -> sheet title, found the way openpyxl finds the sheets."""
    try:
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        parser = WorkbookParser(archive, _find_workbook_part(manifest).PartName[1:])
        parser.parse()
        return {rel.target: sheet.name for sheet, rel in parser.find_sheets()}
    except Exception as error:  # an entity bomb, XML that does not parse, no workbook part
        raise _unreadable(file_name, error) from error


def _is_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part is XML (openpyxl may parse it), not an image or other binary."""
    with archive.open(info) as source:
        head = source.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"<")
