"""Builders for the roster files the tests import (synthetic people only)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

HEADER = [
    "N°",
    "Apellido paterno",
    "Apellido materno",
    "Nombres",
    "DNI",
    "Sexo",
    "Institución",
    "Cargo",
    "Región",
    "Celular",
    "Pre-test",
    "Post-test",
]
ROWS = [
    [
        1,
        "Quispe",
        "Mamani",
        "Juan Carlos",
        "40000001",
        "M",
        "PNP",
        "Comisario",
        "Cusco",
        "987654321",
        12,
        18,
    ],
    [2, "Flores", "Díaz", "Ana María", "40000002", "F", "Fiscalía", "Fiscal", "Lima", "", 10, 16],
    [3, "Ñahui", "Condori", "Rosa", "40000003", "Femenino", "MINSA", "", "Puno", "", 8, 15],
]


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    encoding: str = "utf-8",
    delimiter: str = ",",
    above: Sequence[Sequence[Any]] = (),
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(above)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    header: Sequence[str] = HEADER,
    above: Sequence[Sequence[Any]] = (),
    sheet_title: str = "Participantes",
    extra_sheet_first: bool = False,
) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    if extra_sheet_first:
        sheet.title = "Instrucciones"
        sheet.append(["Complete la hoja Participantes"])
        sheet = workbook.create_sheet(sheet_title)
    else:
        sheet.title = sheet_title
    for row in above:
        sheet.append(list(row))
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace_zip_member(data: bytes, name: str, content: bytes) -> bytes:
    """A copy of the zip `data` with one member's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = content if info.filename == name else source.read(info.filename)
            target.writestr(info.filename, payload)
    return buffer.getvalue()
