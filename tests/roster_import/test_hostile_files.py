"""Hostile roster files: refused while they stream, with a message naming row and column."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook

from intake.roster_import.reading import read_table
from spreadsheets.reading import RosterFileError
from spreadsheets.reading.table import TableBuilder
from tests.roster_import.files import HEADER, ROWS, csv_bytes, replace_zip_member, xlsx_bytes


@pytest.fixture
def no_padded_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the reader gets as far as padding the rows into a table."""

    def build(self: TableBuilder) -> None:
        raise AssertionError("the padded table was built")

    monkeypatch.setattr(TableBuilder, "build", build)


def _xlsx_with(cell: tuple[int, int, str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Participantes"
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    row, column, value = cell
    sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_csv_header_with_100000_separators_is_refused(no_padded_table: None) -> None:
    data = csv_bytes(ROWS, header=[*HEADER, *([""] * 100_000)])
    with pytest.raises(RosterFileError) as error:
        read_table(data, file_name="ancho.csv")
    assert str(error.value) == (
        "ancho.csv: la fila 1 pasa del máximo de 200 columnas por fila (columna GS, n.º 201). "
        "Borre las columnas sobrantes o guarde solo la lista."
    )


def test_a_csv_data_row_past_the_column_setting_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_COLUMNS = 12
    with pytest.raises(RosterFileError, match=r"la fila 3 pasa del máximo de 12 columnas .*M"):
        read_table(csv_bytes([ROWS[0], [*ROWS[1], "x"]]), file_name="lista.csv")


def test_an_xlsx_value_in_column_xfd_is_refused_before_rows_are_read(
    no_padded_table: None,
) -> None:
    with pytest.raises(RosterFileError) as error:
        read_table(_xlsx_with((3, 16_384, "x")), file_name="xfd.xlsx")
    assert str(error.value) == (
        "xfd.xlsx: hoja «Participantes»: la fila 3 pasa del máximo de 200 columnas por fila "
        "(columna XFD, n.º 16,384). Borre las columnas sobrantes o guarde solo la lista."
    )


def test_styled_empty_cells_far_right_are_dropped_not_padded() -> None:
    data = xlsx_bytes(ROWS)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    styled = "".join(f'<c r="{letter}3" s="0"/>' for letter in ("GZ", "ZZ", "XFD"))
    sheet = sheet.replace('</row><row r="4"', f'{styled}</row><row r="4"', 1)
    assert styled in sheet
    table = read_table(
        replace_zip_member(data, "xl/worksheets/sheet1.xml", sheet.encode()), file_name="l.xlsx"
    )
    assert len(table.headers) == 200  # cut at the limit, not padded to 16,384
    assert [len(cells) for _, cells in table.rows] == [200, 200, 200]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_more_cells_than_the_setting_is_refused(settings, file_format: str) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_CELLS = 30
    data = csv_bytes(ROWS) if file_format == "csv" else xlsx_bytes(ROWS)
    with pytest.raises(RosterFileError, match="máximo de 30 celdas por archivo") as error:
        read_table(data, file_name=f"lista.{file_format}")
    assert str(error.value).startswith(f"lista.{file_format}: ")
    assert "fila " in str(error.value)
    assert "columna " in str(error.value)


def test_many_short_rows_are_refused_at_the_cell_limit(settings, no_padded_table: None) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_CELLS = 1_000
    data = b"Apellidos,Nombres\r\n" + b"Quispe,Juan\r\n" * 100_000
    with pytest.raises(RosterFileError, match="en la fila 502, columna A, el archivo supera"):
        read_table(data, file_name="filas.csv")


def test_more_shared_strings_than_cells_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_CELLS = 100
    data = xlsx_bytes(ROWS)
    strings = "".join(f"<si><t>{number}</t></si>" for number in range(500))
    xml = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", xml)
    with pytest.raises(RosterFileError, match="guarda más de 100 textos"):
        read_table(buffer.getvalue(), file_name="textos.xlsx")


def test_a_row_number_past_excel_is_refused() -> None:
    data = xlsx_bytes(ROWS)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    sheet = sheet.replace('<row r="4"', '<row r="99999999"', 1)
    with pytest.raises(RosterFileError, match="'99999999' no existe en una hoja de Excel"):
        read_table(
            replace_zip_member(data, "xl/worksheets/sheet1.xml", sheet.encode()), file_name="x.xlsx"
        )


# --- a very long cell --------------------------------------------------------------------


def _long_cell_csv() -> bytes:
    rows = [list(row) for row in ROWS]
    rows[1][7] = "x" * 200_000
    return csv_bytes(rows)


LONG_CELL_MESSAGE = (
    "largo.csv: la fila 3, columna H, tiene una celda de más de 131,072 caracteres; una lista "
    "de participantes no tiene celdas tan largas."
)


def test_a_200000_character_cell_is_a_clear_message() -> None:
    with pytest.raises(RosterFileError) as error:
        read_table(_long_cell_csv(), file_name="largo.csv")
    assert str(error.value) == LONG_CELL_MESSAGE


def test_a_very_long_first_line_does_not_break_delimiter_detection() -> None:
    data = csv_bytes(ROWS, delimiter=";", above=[["Lista " + "x" * 200_000]])
    with pytest.raises(RosterFileError, match="la fila 1, columna A, tiene una celda de más"):
        read_table(data, file_name="titulo.csv")


def test_a_long_cell_under_the_csv_limit_is_read() -> None:
    rows = [list(row) for row in ROWS]
    rows[0][7] = "y" * 100_000
    table = read_table(csv_bytes(rows, delimiter=";"), file_name="lista.csv")
    assert table.delimiter == ";"
    assert table.rows[0][1][7] == "y" * 100_000


@pytest.mark.django_db
def test_the_admin_preview_shows_the_long_cell_message(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils.html import escape

    from tests.roster_import.test_admin import _client, _import_url

    client = _client(admin_user)
    upload = SimpleUploadedFile("largo.csv", _long_cell_csv())
    response = client.post(_import_url(cohort), {"file": upload})
    assert response.status_code == 200
    assert escape(LONG_CELL_MESSAGE) in response.content.decode()
