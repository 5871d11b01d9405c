"""review_export / review_import: the review queue as a spreadsheet, decided offline."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from participants.models import Decision, DuplicateCandidate, MergeRecord, Person, PersonStatus
from review.merging import person_merge
from review.services import candidate_decide
from review.spreadsheet import COLUMNS, decision_word
from review.spreadsheet.files import DECISION_CHOICES, HEADERS
from tests.factories import (
    CohortFactory,
    CourseFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _read_csv(path: Path) -> list[dict[str, str]]:
    """The exported rows by column name (the sheet's headers are Spanish)."""
    names = {header: column for column, header in HEADERS.items()}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{names[key]: value for key, value in row.items()} for row in csv.DictReader(handle)]


def _write_csv(
    path: Path, rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = True
) -> None:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([HEADERS.get(name, name) for name in rows[0]])
        writer.writerows(list(row.values()) for row in rows)


def _fill(path: Path, decisions: dict[int, str]) -> list[dict[str, str]]:
    """Fill the exported CSV's decision column by pair id, as a reviewer would."""
    rows = _read_csv(path)
    for row in rows:
        row["decision"] = decisions.get(int(row["pair_id"]), row["decision"])
    _write_csv(path, rows)
    return rows


def _pair(score: float, **persons: Any) -> DuplicateCandidate:
    return DuplicateCandidateFactory(score=score, **persons)


@pytest.fixture
def queue() -> dict[str, DuplicateCandidate]:
    """Three pending pairs, one skipped, one decided and one with a cancelled person."""
    course = CourseFactory(title="Trata de personas")
    first = CohortFactory(course=course, label="2024-I", start_date=date(2024, 3, 1))
    second = CohortFactory(course=course, label="2024-II", start_date=date(2024, 8, 1))
    ana = PersonFactory(
        given_names="Ana María",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="04123456",
    )
    ana_again = PersonFactory(
        given_names="Ana", paternal_surname="Quispe", maternal_surname="M", document_number=""
    )
    EnrollmentFactory(person=ana, cohort=second)
    EnrollmentFactory(person=ana, cohort=first)
    EnrollmentFactory(person=ana_again, cohort=second)
    pairs = {
        "same": _pair(0.91, person_a=ana, person_b=ana_again),
        "different": _pair(0.85),
        "skip": _pair(0.75),
        "skipped": _pair(0.95, decision=Decision.SKIPPED),
        "decided": _pair(0.99, decision=Decision.DIFFERENT),
    }
    cancelled = _pair(0.97)
    Person.objects.filter(pk=cancelled.person_b_id).update(status=PersonStatus.CANCELLED)
    return pairs


@pytest.fixture
def registry_admin(role_user: Any) -> Any:
    return role_user("admin", username="revisora")


def _state() -> list[Any]:
    return [
        list(DuplicateCandidate.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values("pk", "status", "merged_into_id")),
        MergeRecord.objects.count(),
    ]


def test_export_lists_only_the_open_pairs_with_the_right_columns(tmp_path, queue):
    path = tmp_path / "pares.csv"

    out = _run("review_export", "--output", str(path))

    assert out.strip() == f"4 pares pendientes escritos en {path}"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _read_csv(path)
    assert tuple(rows[0]) == COLUMNS
    assert path.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "id_par,codigo_persona_a,codigo_persona_b,probabilidad,motivos,nombre_persona_a,"
        "nombre_persona_b,documento_persona_a,documento_persona_b,cursos_persona_a,"
        "cursos_persona_b,decisión"
    )
    # The review page's order: pending by score, then the skipped pair.
    expected = [queue[key].pk for key in ("same", "different", "skip", "skipped")]
    assert [int(row["pair_id"]) for row in rows] == expected
    ana = rows[0]
    pair = queue["same"]
    assert ana["person_a_code"] == pair.person_a.code
    assert ana["person_b_code"] == pair.person_b.code
    assert ana["score"] == "0.91"
    assert ana["reasons"] == "apellido paterno coincide; nombres parecidos (error de tipeo)"
    assert ana["person_a_name"] == "Quispe Mamani, Ana María"
    assert ana["person_b_name"] == "Quispe M, Ana"
    assert (ana["person_a_dni"], ana["person_b_dni"]) == ("04123456", "")
    assert ana["person_a_courses"] == "Trata de personas - 2024-I; Trata de personas - 2024-II"
    assert ana["person_b_courses"] == "Trata de personas - 2024-II"
    assert all(row["decision"] == "" for row in rows)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.actor_username == "manage.py"
    assert event.details == {"export": "review_queue", "format": "csv", "rows": 4}


def test_round_trip_applies_the_decisions_through_the_review_services(
    tmp_path, queue, registry_admin
):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(
        path,
        {queue["same"].pk: "same", queue["different"].pk: " Distinta ", queue["skip"].pk: "OMITIR"},
    )

    out = _run("review_import", str(path), "--actor", "revisora")

    assert "3 decisiones aplicadas (1 misma persona, 1 personas distintas, 1 omitidas)" in out
    assert "0 ya decididas, 0 desactualizadas, 0 con errores, 1 sin decisión." in out
    for key, decision in (
        ("same", Decision.SAME),
        ("different", Decision.DIFFERENT),
        ("skip", Decision.SKIPPED),
    ):
        queue[key].refresh_from_db()
        assert queue[key].decision == decision
        assert queue[key].decided_by == registry_admin
    merge = MergeRecord.objects.get()
    assert (merge.candidate, merge.survivor, merge.merged_by) == (
        queue["same"],
        queue["same"].person_a,
        registry_admin,
    )
    assert Person.objects.get(pk=queue["same"].person_b_id).status == PersonStatus.MERGED
    assert AuditEvent.objects.filter(action=AuditAction.MERGE, actor=registry_admin).exists()
    decisions = AuditEvent.objects.filter(action=AuditAction.REVIEW_DECISION)
    assert sorted(event.details["decision"] for event in decisions) == ["different", "skip"]
    queue["skipped"].refresh_from_db()
    assert queue["skipped"].decision == Decision.SKIPPED  # left blank: left alone


def test_import_twice_changes_nothing_the_second_time(tmp_path, queue):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(
        path,
        {
            queue["same"].pk: "misma",
            queue["different"].pk: "different",
            queue["skip"].pk: "skip",
            queue["skipped"].pk: "omitir",
        },
    )
    first = _run("review_import", str(path))
    before, events = _state(), AuditEvent.objects.count()

    second = _run("review_import", str(path))

    assert "3 decisiones aplicadas" in first
    # The pair skipped before the export is skipped already: asking again changes nothing.
    assert f"par {queue['skipped'].pk}: ya estaba omitido" in first
    assert "0 decisiones aplicadas" in second
    assert "4 ya decididas" in second
    assert f"par {queue['same'].pk}: ya decidido: misma persona" in second
    assert _state() == before
    assert AuditEvent.objects.count() == events
    # Without --actor the command line decides, as the other commands record it.
    queue["different"].refresh_from_db()
    assert queue["different"].decided_by is None
    assert MergeRecord.objects.get().merged_by is None


def test_a_pair_whose_person_was_merged_since_the_export_is_reported_and_left_alone(
    tmp_path, queue
):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    rows = _fill(path, {queue["same"].pk: "misma", queue["different"].pk: "distinta"})
    stale = queue["same"]
    elsewhere = PersonFactory(document_number="")
    person_merge(survivor=elsewhere, merged=stale.person_b, actor=None)
    row_number = 2 + [int(row["pair_id"]) for row in rows].index(stale.pk)

    out = _run("review_import", str(path))

    assert "1 decisiones aplicadas" in out
    assert "1 desactualizadas" in out
    assert (
        f"fila {row_number}, par {stale.pk}: {stale.person_b.code} fue fusionado en "
        f"{elsewhere.code} desde la exportación" in out
    )
    stale.refresh_from_db()
    assert stale.decision == Decision.PENDING  # re-pointed to the survivor, still to ask
    assert not MergeRecord.objects.filter(candidate=stale).exists()


def test_an_unknown_pair_and_a_pair_decided_since_are_reported(tmp_path, queue):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    rows = _fill(path, {queue["same"].pk: "distinta", queue["different"].pk: "misma"})
    rows.append({**rows[0], "pair_id": "999999", "decision": "misma"})
    _write_csv(path, rows)
    candidate_decide(candidate=queue["same"], decision="same", actor=None)

    out = _run("review_import", str(path))

    assert "1 decisiones aplicadas" in out
    assert (
        f"fila 2, par {queue['same'].pk}: ya decidido: misma persona (para corregirlo, "
        "deshaga la fusión" in out
    )
    assert "fila 6, par 999999: el par ya no existe" in out
    assert MergeRecord.objects.count() == 2


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("nadie", "el usuario 'nadie' no existe"),
        ("analista", "el usuario 'analista' no es administrador del registro"),
        ("sin-rol", "el usuario 'sin-rol' no es administrador del registro"),
    ],
)
def test_an_unknown_or_non_admin_actor_is_refused_before_anything_is_applied(
    tmp_path, queue, role_user, actor, message
):
    role_user("analyst", username="analista")
    UserFactory(username="sin-rol", is_staff=True)
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(path, {queue["same"].pk: "misma"})
    before = _state()

    with pytest.raises(CommandError, match=message):
        _run("review_import", str(path), "--actor", actor)

    assert _state() == before


def test_an_unknown_decision_word_is_reported_with_its_row_and_column(tmp_path, queue):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(path, {queue["same"].pk: "quizás", queue["different"].pk: "Distínta"})
    before = _state()[0][0]

    out = _run("review_import", str(path))

    assert f"fila 2, par {queue['same'].pk}: columna decisión (L): «quizás» no es una" in out
    assert "1 con errores" in out
    assert "1 decisiones aplicadas" in out  # the other rows go on
    assert _state()[0][0] == before


def test_a_merge_the_service_refuses_is_reported_and_the_other_rows_go_on(tmp_path, queue):
    two_dnis = _pair(
        0.8,
        person_a=PersonFactory(document_number="40000001"),
        # Not one typo away: "same" in a sheet is not enough to give one person both.
        person_b=PersonFactory(document_number="70011223"),
    )
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(path, {two_dnis.pk: "misma", queue["different"].pk: "distinta"})

    out = _run("review_import", str(path))

    assert f"par {two_dnis.pk}: no se aplicó, el servicio de revisión lo rechazó" in out
    assert "1 decisiones aplicadas" in out
    two_dnis.refresh_from_db()
    assert two_dnis.decision == Decision.PENDING
    assert not MergeRecord.objects.exists()


def test_xlsx_round_trip(tmp_path, queue):
    path = tmp_path / "pares.xlsx"
    assert "4 pares pendientes escritos" in _run("review_export", "--output", str(path))
    workbook = load_workbook(path)
    sheet = workbook.active
    assert tuple(cell.value for cell in sheet[1]) == tuple(HEADERS[c] for c in COLUMNS)
    assert sheet.cell(row=2, column=8).value == "04123456"  # DNI as text: the zero stays
    decisions = {queue["same"].pk: "Misma", queue["skip"].pk: "omitir"}
    for row in sheet.iter_rows(min_row=2):
        row[-1].value = decisions.get(row[0].value)
    workbook.save(path)

    out = _run("review_import", str(path))

    assert "2 decisiones aplicadas (1 misma persona, 0 personas distintas, 1 omitidas)" in out
    assert MergeRecord.objects.get().candidate == queue["same"]
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).details["format"] == "xlsx"


def test_a_semicolon_csv_without_bom_is_read(tmp_path, queue):
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    rows = _read_csv(path)
    rows[1]["decision"] = "distinta"
    _write_csv(path, rows, delimiter=";", bom=False)

    assert "1 decisiones aplicadas" in _run("review_import", str(path))
    queue["different"].refresh_from_db()
    assert queue["different"].decision == Decision.DIFFERENT


def test_a_formula_in_a_name_is_escaped_in_both_formats(tmp_path, db):
    payload = '=HYPERLINK("http://x","y")'
    _pair(0.8, person_a=PersonFactory(paternal_surname=payload, maternal_surname=""))
    csv_path, xlsx_path = tmp_path / "pares.csv", tmp_path / "pares.xlsx"
    _run("review_export", "--output", str(csv_path))
    _run("review_export", "--output", str(xlsx_path))

    assert _read_csv(csv_path)[0]["person_a_name"].startswith("'=HYPERLINK")
    cell = load_workbook(xlsx_path).active.cell(row=2, column=6)
    assert cell.data_type == "s"
    assert cell.value.startswith("'=HYPERLINK")


def test_another_extension_is_refused(tmp_path, queue):
    with pytest.raises(CommandError, match=r"pares\.txt: formato no admitido"):
        _run("review_export", "--output", str(tmp_path / "pares.txt"))
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"id_par,codigo_persona_a\r\n1,PE-1\r\n",
            "faltan las columnas codigo_persona_b, decisión",
        ),
        (b"", "el archivo está vacío"),
    ],
)
def test_a_file_without_the_columns_is_one_line_error(tmp_path, db, content, message):
    path = tmp_path / "otra.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=f"otra.csv: .*{message}"):
        _run("review_import", str(path))


def test_an_unreadable_or_missing_file_is_one_line_error(tmp_path, db):
    path = tmp_path / "roto.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match=r"^roto\.xlsx: no se puede leer el archivo como XLSX$"):
        _run("review_import", str(path))
    with pytest.raises(CommandError, match=r"^falta\.csv: el archivo no existe$"):
        _run("review_import", str(tmp_path / "falta.csv"))


@pytest.mark.parametrize(
    ("word", "decision"),
    [
        ("same", "same"),
        (" MISMA ", "same"),
        ("Distínta", "different"),
        ("different", "different"),
        ("Omitir", "skip"),
        ("SKIP", "skip"),
        ("misma, DNI distinto", "same_despite_documents"),
        ("Misma (DNI distinto)", "same_despite_documents"),
        ("quizás", None),
    ],
)
def test_decision_words(word, decision):
    assert decision_word(word) == decision


def test_same_confirms_a_dni_typo_but_not_two_far_dnis(tmp_path: Path) -> None:
    typo = _pair(
        0.9,
        person_a=PersonFactory(document_number="41234567"),
        person_b=PersonFactory(document_number="41234576"),  # two digits swapped
    )
    far = _pair(
        0.8,
        person_a=PersonFactory(document_number="41234567"[::-1]),
        person_b=PersonFactory(document_number="70011223"),
    )
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(path, {typo.pk: "misma", far.pk: "misma"})
    out = _run("review_import", str(path))
    typo.refresh_from_db()
    far.refresh_from_db()
    assert typo.decision == Decision.SAME
    assert MergeRecord.objects.filter(candidate=typo).exists()
    assert far.decision == Decision.PENDING
    assert f"par {far.pk}" in out


def test_the_sheet_confirms_two_different_dnis_explicitly_in_spanish(tmp_path: Path) -> None:
    # Each one typo from the true DNI, so two typos apart: "misma" alone is not enough.
    pair = _pair(
        0.8,
        person_a=PersonFactory(document_number="64104425"),
        person_b=PersonFactory(document_number="64014405"),
    )
    path = tmp_path / "pares.csv"
    _run("review_export", "--output", str(path))
    _fill(path, {pair.pk: "misma"})
    out = _run("review_import", str(path))
    pair.refresh_from_db()
    assert pair.decision == Decision.PENDING
    assert "tienen documentos distintos" in out
    assert "Confirm" not in out  # the whole report is Spanish
    assert "escriba «misma (DNI distinto)» en la columna decisión" in out

    _fill(path, {pair.pk: "Misma, DNI distinto"})
    out = _run("review_import", str(path))
    pair.refresh_from_db()
    assert pair.decision == Decision.SAME
    assert MergeRecord.objects.filter(candidate=pair).exists()
    assert "1 decisiones aplicadas" in out


@pytest.mark.parametrize("pair_id", ["²", "①", "٣"])
def test_a_pair_id_of_unicode_digits_is_reported_not_a_traceback(
    tmp_path: Path, queue, pair_id: str
) -> None:
    path = tmp_path / "pares.csv"
    path.write_text(
        f"pair_id,person_a_code,person_b_code,decision\n{pair_id},PE-1,PE-2,misma\n",
        encoding="utf-8",
    )
    out = _run("review_import", str(path))
    assert f"identificador de par no válido («{pair_id}»)" in out


def test_the_workbook_offers_the_decisions_in_a_drop_down_list(tmp_path, queue):
    path = tmp_path / "pares.xlsx"
    _run("review_export", "--output", str(path))
    sheet = load_workbook(path)["Pares"]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert validation.formula1 == '"misma,distinta,omitir,misma (DNI distinto)"'
    assert str(validation.sqref) == "L2:L5"  # the decision column of the four pairs
    # Every choice of the list is a decision the import understands.
    assert all(decision_word(choice) is not None for choice in DECISION_CHOICES)


def test_a_sheet_exported_before_with_english_headers_is_still_read(tmp_path, queue):
    path = tmp_path / "pares.csv"
    pair = queue["different"]
    path.write_text(
        "pair_id,person_a_code,person_b_code,decision\n"
        f"{pair.pk},{pair.person_a.code},{pair.person_b.code},distinta\n",
        encoding="utf-8",
    )
    assert "1 decisiones aplicadas" in _run("review_import", str(path))
    pair.refresh_from_db()
    assert pair.decision == Decision.DIFFERENT


def test_a_decision_header_written_without_its_accent_or_in_capitals_is_read(tmp_path, queue):
    path = tmp_path / "pares.csv"
    pair = queue["different"]
    path.write_text(
        "ID_PAR,Codigo_Persona_A,CODIGO_PERSONA_B,Decision\n"
        f"{pair.pk},{pair.person_a.code},{pair.person_b.code},misma (DNI distinto)\n",
        encoding="utf-8",
    )
    out = _run("review_import", str(path))
    assert "decisiones aplicadas" in out
