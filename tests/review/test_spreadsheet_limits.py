"""review_import reads a filled sheet within the roster reader's limits, and never trusts a
sheet that cannot tell it whether its pairs changed since the export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from participants.models import Decision, DuplicateCandidate
from tests.factories import DuplicateCandidateFactory

pytestmark = pytest.mark.django_db

HEADER = ["id_par", "codigo_persona_a", "codigo_persona_b", "decisión"]


def _import(path: Path) -> str:
    out = io.StringIO()
    call_command("review_import", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _row(pair: DuplicateCandidate, decision: str = "distinta") -> list[str]:
    return [str(pair.pk), pair.person_a.code, pair.person_b.code, decision]


def _csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _assert_untouched(pair: DuplicateCandidate) -> None:
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING


def test_a_sheet_past_the_upload_limit_is_refused_before_it_is_read(
    tmp_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_UPLOAD_BYTES = 1_000
    pair = DuplicateCandidateFactory(score=0.8)
    path = _csv(tmp_path / "pares.csv", [_row(pair), *([["", "", "", " " * 40]] * 30)])
    size = path.stat().st_size
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value) == (
        f"pares.csv: el archivo pesa {size:,} bytes y el límite es 1,000 bytes"
    )
    _assert_untouched(pair)


def test_a_csv_row_padded_with_separators_names_its_row_and_column(tmp_path: Path) -> None:
    pair = DuplicateCandidateFactory(score=0.8)
    path = _csv(tmp_path / "pares.csv", [_row(pair), [*_row(pair), *([""] * 300)]])
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value).startswith(
        "pares.csv: la fila 3 pasa del máximo de 200 columnas por fila (columna GS, n.º 201)"
    )
    _assert_untouched(pair)


def test_a_csv_with_more_cells_than_the_setting_is_refused(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_CELLS = 40
    pair = DuplicateCandidateFactory(score=0.8)
    path = _csv(tmp_path / "pares.csv", [_row(pair)] + [_row(pair, "omitir")] * 12)
    with pytest.raises(CommandError, match=r"^pares\.csv: en la fila 12, columna A, el archivo "):
        _import(path)
    _assert_untouched(pair)


def test_an_xlsx_padded_with_spaces_is_refused_while_it_streams(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_CELLS = 200
    pair = DuplicateCandidateFactory(score=0.8)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pares"
    sheet.append(HEADER)
    sheet.append(_row(pair))
    sheet.append(["", "", "", "", *([" "] * 300)])
    path = tmp_path / "pares.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value).startswith(
        "pares.xlsx: hoja «Pares»: en la fila 3, columna GK, el archivo supera el máximo de "
        "200 celdas por archivo"
    )
    _assert_untouched(pair)


def test_an_xlsx_zip_bomb_is_refused(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_MAX_UNPACKED_BYTES = 4_000
    workbook = Workbook()
    workbook.active.title = "Pares"
    workbook.active.append(HEADER)
    path = tmp_path / "pares.xlsx"
    workbook.save(path)
    with pytest.raises(CommandError, match=r"^pares\.xlsx: .*posible bomba zip"):
        _import(path)


def test_a_sheet_without_the_persons_codes_cannot_skip_the_staleness_check(
    tmp_path: Path,
) -> None:
    pair = DuplicateCandidateFactory(score=0.8)
    path = _csv(tmp_path / "pares.csv", [[str(pair.pk), "misma"]], header=["id_par", "decisión"])
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value) == (
        "pares.csv: faltan las columnas codigo_persona_a, codigo_persona_b; "
        "use el archivo que escribe review_export"
    )
    _assert_untouched(pair)


def test_a_sheet_within_the_limits_is_applied(tmp_path: Path) -> None:
    pair = DuplicateCandidateFactory(score=0.8)
    path = _csv(tmp_path / "pares.csv", [_row(pair)])
    assert "1 decisiones aplicadas" in _import(path)
    pair.refresh_from_db()
    assert pair.decision == Decision.DIFFERENT


def test_an_xlsx_saved_on_its_informe_sheet_is_read_from_the_pairs_sheet(tmp_path: Path) -> None:
    pair = DuplicateCandidateFactory(score=0.8)
    workbook = Workbook()
    workbook.active.title = "Informe"
    workbook.active.append(["Cómo completarlo", "escriba misma, distinta u omitir"])
    pairs = workbook.create_sheet("Pares")
    pairs.append(HEADER)
    pairs.append(_row(pair))
    path = tmp_path / "pares.xlsx"
    workbook.save(path)
    assert "1 decisiones aplicadas" in _import(path)


def test_a_sheet_without_a_header_row_says_what_is_expected(tmp_path: Path) -> None:
    path = _csv(tmp_path / "pares.csv", [["1", "misma"]], header=["par", "respuesta"])
    with pytest.raises(CommandError) as error:
        _import(path)
    assert str(error.value) == (
        "pares.csv: no se encontró la fila de encabezados en las primeras 30 filas (se esperan "
        "las columnas de review_export, como id_par y decisión, en la hoja «Pares»)"
    )
