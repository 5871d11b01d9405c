"""A CSV that mixes UTF-8 and Windows-1252 lines is read line by line, never garbled."""

from __future__ import annotations

from intake.roster_import.reading import read_table
from spreadsheets.reading import decode_text
from spreadsheets.reading.text import decode_csv_text

HEADER = "Apellidos;Nombres;DNI\r\n"


def test_each_line_is_read_in_its_own_encoding() -> None:
    data = (
        HEADER.encode()
        + "Ñahui Condori;Rosa;40000003\r\n".encode()
        + "Peña Díaz;José;40000004\r\n".encode("cp1252")
        + b"Quispe;Juan;40000001\r\n"
        + "Muñoz;Inés;40000005\r\n".encode("cp1252")
        + "Ccahuana;María;40000006\r\n".encode()
    )
    table = read_table(data, file_name="mezcla.csv")
    assert [cells[:2] for _, cells in table.rows] == [
        ["Ñahui Condori", "Rosa"],
        ["Peña Díaz", "José"],
        ["Quispe", "Juan"],
        ["Muñoz", "Inés"],
        ["Ccahuana", "María"],
    ]
    assert table.encoding == "utf-8+cp1252"
    # Line 4 is ASCII, the same in both encodings: it joins the span.
    assert table.notes == ["Las líneas 3-5 no estaban en UTF-8: se leyeron como Windows-1252."]


def test_a_run_of_windows_1252_lines_is_one_span() -> None:
    data = (
        "Apellidos;Nombres\r\nÑahui;Rosa\r\n".encode()
        + "Peña;José\r\nAsh;Tom\r\nMuñoz;Inés\r\n".encode("cp1252")
        + "Díaz;Ana\r\n".encode()
    )
    decoded = decode_csv_text(data, file_name="mezcla.csv")
    assert (
        decoded.text
        == "Apellidos;Nombres\r\nÑahui;Rosa\r\nPeña;José\r\nAsh;Tom\r\nMuñoz;Inés\r\nDíaz;Ana\r\n"
    )
    assert decoded.legacy_lines == [(3, 5)]


def test_a_bom_file_with_a_pasted_windows_1252_line() -> None:
    data = b"\xef\xbb\xbf" + "Apellidos,Nombres\nPeña,José\n".encode("cp1252")
    text, encoding = decode_text(data, file_name="bom.csv")
    assert text == "Apellidos,Nombres\nPeña,José\n"
    assert encoding == "utf-8+cp1252"


def test_all_windows_1252_is_still_cp1252() -> None:
    text, encoding = decode_text("Peña;José\nMuñoz;Inés".encode("cp1252"), file_name="a.csv")
    assert (text, encoding) == ("Peña;José\nMuñoz;Inés", "cp1252")


def test_plain_utf8_is_utf8() -> None:
    assert decode_text("Peña;José\n".encode(), file_name="a.csv") == ("Peña;José\n", "utf-8")
