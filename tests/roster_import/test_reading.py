"""Formats, encodings, delimiters, header detection and every kind of bad file."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from defusedxml import EntitiesForbidden

from intake.roster_import.reading import read_table
from spreadsheets.reading import RosterFileError
from tests.roster_import.files import HEADER, ROWS, csv_bytes, replace_zip_member, xlsx_bytes


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("cp1252", ";"), ("latin-1", ";"), ("utf-8", ";")],
)
def test_csv_encodings_and_delimiters(encoding: str, delimiter: str) -> None:
    table = read_table(
        csv_bytes(ROWS, encoding=encoding, delimiter=delimiter), file_name="lista.csv"
    )
    assert table.file_format == "csv"
    assert table.delimiter == delimiter
    assert table.headers[:5] == HEADER[:5]  # the BOM is not part of the first header
    assert [cells[2] for _, cells in table.rows] == ["Mamani", "Díaz", "Condori"]
    assert table.rows[2][1][1] == "Ñahui"


def test_cp1252_is_detected_when_not_utf8() -> None:
    table = read_table(csv_bytes(ROWS, encoding="cp1252"), file_name="lista.csv")
    assert table.encoding == "cp1252"
    assert table.headers[6] == "Institución"


def test_csv_title_rows_and_blank_lines_above_header_give_spreadsheet_row_numbers() -> None:
    above = [["LISTA DE PARTICIPANTES"], ["Curso: Trata de personas"], ["Sede: Cusco"], []]
    data = csv_bytes([ROWS[0], [""] * len(HEADER), ROWS[1]], above=above, delimiter=";")
    table = read_table(data, file_name="lista.csv")
    assert table.header_row == 5
    # The blank line between the two people is dropped, the numbers stay the sheet's.
    assert [number for number, _ in table.rows] == [6, 8]


def test_xlsx_with_title_rows_blank_rows_and_numbers() -> None:
    above = [["LISTA DE PARTICIPANTES"], ["Curso: Trata", None, "Sede:", "Cusco"], [], []]
    rows = [
        [1, "Quispe", "Mamani", "Juan", 1234567, "M", "PNP", "", "", 987654321, 12, 18],
        [None] * 12,
        [2, "Díaz", "", "Ana", "40000002", "F", "", "", "", "", 10, None],
    ]
    table = read_table(xlsx_bytes(rows, above=above), file_name="lista.xlsx")
    assert table.file_format == "xlsx"
    assert table.sheet_name == "Participantes"
    assert table.header_row == 5
    assert [number for number, _ in table.rows] == [6, 8]
    assert table.rows[0][1][4] == 1234567


def test_xlsx_header_found_on_a_later_sheet() -> None:
    table = read_table(xlsx_bytes(ROWS, extra_sheet_first=True), file_name="lista.xlsx")
    assert table.sheet_name == "Participantes"
    assert len(table.rows) == 3


def test_xlsx_dates_stay_dates() -> None:
    rows = [["Quispe", "Juan", datetime(1990, 5, 17)]]
    table = read_table(
        xlsx_bytes(rows, header=["Apellidos", "Nombres", "Fecha de nacimiento"]),
        file_name="lista.xlsx",
    )
    assert table.rows[0][1][2] == datetime(1990, 5, 17)


def test_blank_and_repeated_headers_get_distinct_names() -> None:
    data = csv_bytes(
        [["Quispe", "Juan", "x", "y", "z"]], header=["Apellidos", "Nombres", "", "Obs", "Obs"]
    )
    table = read_table(data, file_name="lista.csv")
    assert table.headers == ["Apellidos", "Nombres", "Columna C", "Obs", "Obs (2)"]


def test_the_extension_is_not_trusted() -> None:
    table = read_table(xlsx_bytes(ROWS), file_name="lista.csv")
    assert table.file_format == "xlsx"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vacío"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00\x00\x00<<>>", "no es un CSV ni un XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Excel 97-2003"),
        (b"PK\x03\x04garbage", "dañado"),
        (b"Hola, esto no es una lista\nsolo texto\n", "fila de encabezados"),
    ],
)
def test_bad_files_are_refused_with_the_file_name(data: bytes, message: str) -> None:
    with pytest.raises(RosterFileError) as error:
        read_table(data, file_name="malo.xlsx")
    assert str(error.value).startswith("malo.xlsx: ")
    assert message in str(error.value)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("documento.txt", "Apellidos,Nombres\nQuispe,Juan\n")
    with pytest.raises(RosterFileError, match="no un libro XLSX"):
        read_table(buffer.getvalue(), file_name="lista.xlsx")


def test_file_over_the_size_limit_is_refused(settings: pytest.FixtureRequest) -> None:
    settings.ROSTER_MAX_UPLOAD_BYTES = 100
    with pytest.raises(RosterFileError, match="el límite es 100 bytes"):
        read_table(csv_bytes(ROWS), file_name="grande.csv")


def test_zip_bomb_is_refused_before_inflating() -> None:
    bomb = replace_zip_member(
        xlsx_bytes(ROWS), "xl/worksheets/sheet1.xml", b"<a>" + b"0" * 20_000_000 + b"</a>"
    )
    assert len(bomb) < 100_000
    with pytest.raises(RosterFileError, match="bomba zip"):
        read_table(bomb, file_name="bomba.xlsx")


def test_zip_bomb_is_refused_by_total_unpacked_size(settings: pytest.FixtureRequest) -> None:
    settings.ROSTER_MAX_UNPACKED_BYTES = 2_000
    with pytest.raises(RosterFileError, match="bomba zip"):
        read_table(xlsx_bytes(ROWS), file_name="lista.xlsx")


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Apellidos</t></is></c>
<c r="B1" t="inlineStr"><is><t>Nombres</t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c>
<c r="B2" t="inlineStr"><is><t>Juan</t></is></c></row>
</sheetData></worksheet>"""


@pytest.mark.parametrize(
    "member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"]
)
def test_xml_entity_bomb_is_refused(member: str) -> None:
    bomb = replace_zip_member(xlsx_bytes(ROWS), member, BILLION_LAUGHS)
    with pytest.raises(RosterFileError, match="no se puede leer") as error:
        read_table(bomb, file_name="entidades.xlsx")
    # defusedxml refused the entity declarations (openpyxl uses it when it is installed).
    chain = []
    cause: BaseException | None = error.value
    while cause is not None:
        chain.append(type(cause))
        cause = cause.__cause__ or cause.__context__
    assert EntitiesForbidden in chain


@pytest.mark.parametrize("dimension", ["A1:B2", "A1:XFD1048576"])
def test_xlsx_wrong_stored_dimensions_neither_cut_nor_pad_rows(dimension: str) -> None:
    data = xlsx_bytes(ROWS)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:L4"' in sheet
    data = replace_zip_member(
        data,
        "xl/worksheets/sheet1.xml",
        sheet.replace('<dimension ref="A1:L4"', f'<dimension ref="{dimension}"').encode(),
    )
    table = read_table(data, file_name="lista.xlsx")
    assert len(table.rows) == 3
    assert len(table.headers) == len(HEADER)
