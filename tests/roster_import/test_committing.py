"""The roster_import service: preview, commit, atomicity, idempotency, linking."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from assessments.models import Score
from courses.models import Enrollment, ImportBatch, SourceRecord
from intake.roster_import import RosterFileError, planning, roster_import
from participants.models import DuplicateCandidate, Institution, Person, Region
from tests.factories import PersonFactory
from tests.roster_import.files import HEADER, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

REJECTED_ROW = [4, "", "", "", "40000004", "F", "", "", "", "", "", ""]


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Person.objects.count(),
        Enrollment.objects.count(),
        Score.objects.count(),
        SourceRecord.objects.count(),
        ImportBatch.objects.count(),
    )


def test_dry_run_previews_every_row_and_writes_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    existing = PersonFactory(document_number="40000002")
    before = _counts()
    report = roster_import(
        file=csv_bytes([*ROWS, REJECTED_ROW]), file_name="lista.csv", cohort=cohort, dry_run=True
    )
    assert _counts() == before
    assert [row.outcome for row in report.rows] == ["new", "linked", "new", "rejected"]
    assert report.rows[1].person_code == existing.code
    assert report.rows[3].row_number == 5
    assert "sin nombre" in report.rows[3].reason
    assert report.status == "rejected"  # by default a file with rejected rows is not committed
    assert report.pre_scale == 20
    assert report.pre_scale_inferred


def test_commit_creates_persons_enrollments_scores_and_provenance(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=xlsx_bytes(ROWS, above=[["LISTA DE PARTICIPANTES"], []]),
        file_name="lista.xlsx",
        cohort=cohort,
        actor=admin_user,
    )
    assert report.status == "committed"
    assert Person.objects.count() == 3
    quispe = Person.objects.get(document_number="40000001")
    assert (quispe.given_names, quispe.paternal_surname, quispe.sex) == (
        "Juan Carlos",
        "Quispe",
        "M",
    )
    assert quispe.phone == "+51 987 654 321"
    assert report.rows[0].person_code == quispe.code

    enrollment = Enrollment.objects.get(person=quispe, cohort=cohort)
    assert enrollment.institution == Institution.objects.get(acronym="PNP")
    assert enrollment.region == Region.objects.get(name="Cusco")
    assert enrollment.role is None
    assert enrollment.role_text == "Comisario"
    scores = {score.phase: score for score in enrollment.scores.all()}
    assert scores["pre"].raw_score == Decimal("12.00")
    assert scores["pre"].scale_max == Decimal("20")
    assert scores["pre"].percent == Decimal("60.00")
    assert scores["post"].percent == Decimal("90.00")

    batch = ImportBatch.objects.get()
    assert batch.imported_by == admin_user
    assert batch.cohort == cohort
    assert batch.status == "committed"
    assert batch.sha256 == report.sha256
    assert len(batch.sha256) == 64
    assert (batch.rows_total, batch.rows_new, batch.rows_linked, batch.rows_rejected) == (
        3,
        3,
        0,
        0,
    )
    assert batch.options["pre_scale"] == "20"
    record = SourceRecord.objects.get(batch=batch, row_number=4)
    assert record.raw["Apellido paterno"] == "Quispe"
    assert record.raw["N°"] == "1"
    assert record.person == quispe
    assert record.enrollment == enrollment
    assert record.outcome == "new"
    assert len(record.row_hash) == 64
    assert any("Comisario" in problem["problem"] for problem in record.problems)


def test_rejected_rows_stop_the_file_by_default(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(file=csv_bytes([*ROWS, REJECTED_ROW]), file_name="l.csv", cohort=cohort)
    assert report.failed
    assert Person.objects.count() == 0
    assert Enrollment.objects.count() == 0
    batch = ImportBatch.objects.get()
    assert batch.status == "rejected"
    assert batch.rejected_rows[0]["row"] == 5
    assert batch.rejected_rows[0]["raw"]["DNI"] == "40000004"
    assert SourceRecord.objects.count() == 0


def test_commit_valid_imports_the_rest_and_lists_the_rejected(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=csv_bytes([*ROWS, REJECTED_ROW]), file_name="l.csv", cohort=cohort, commit_valid=True
    )
    assert report.status == "partial"
    assert Person.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert batch.status == "partial"
    assert batch.rows_rejected == 1
    assert [row["row"] for row in batch.rejected_rows] == [5]
    # The rejected row is kept verbatim too, with no person.
    rejected = SourceRecord.objects.get(batch=batch, row_number=5)
    assert rejected.outcome == "rejected"
    assert rejected.person is None


def test_all_rows_rejected_is_not_imported_even_with_commit_valid(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=csv_bytes([REJECTED_ROW]), file_name="l.csv", cohort=cohort, commit_valid=True
    )
    assert report.failed
    assert Person.objects.count() == 0


def test_same_file_again_creates_nothing_and_says_so(cohort) -> None:  # type: ignore[no-untyped-def]
    data = csv_bytes(ROWS)
    first = roster_import(file=data, file_name="lista.csv", cohort=cohort)
    before = _counts()
    again = roster_import(file=data, file_name="copia.csv", cohort=cohort)
    assert _counts() == before
    assert again.status == "already_imported"
    assert again.previous_batch_id == first.batch_id
    assert f"lote {first.batch_id}" in again.summary()
    assert "no se creó nada nuevo" in again.summary()


def test_rows_imported_before_are_skipped_in_a_new_file(cohort) -> None:  # type: ignore[no-untyped-def]
    roster_import(file=csv_bytes(ROWS[:2]), file_name="parte1.csv", cohort=cohort)
    report = roster_import(file=xlsx_bytes(ROWS), file_name="completa.xlsx", cohort=cohort)
    assert [row.outcome for row in report.rows] == ["skipped", "skipped", "new"]
    assert Person.objects.count() == 3
    assert Enrollment.objects.count() == 3
    assert SourceRecord.objects.count() == 3


def test_file_with_only_known_rows_creates_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    roster_import(file=csv_bytes(ROWS), file_name="lista.csv", cohort=cohort)
    before = _counts()
    report = roster_import(file=xlsx_bytes(ROWS), file_name="lista.xlsx", cohort=cohort)
    assert report.status == "nothing_new"
    assert _counts() == before


def test_same_file_into_another_cohort_is_a_new_batch(cohort) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CohortFactory

    roster_import(file=csv_bytes(ROWS), file_name="lista.csv", cohort=cohort)
    other = CohortFactory()
    report = roster_import(file=csv_bytes(ROWS), file_name="lista.csv", cohort=other)
    assert [row.outcome for row in report.rows] == ["linked"] * 3
    assert Person.objects.count() == 3
    assert Enrollment.objects.filter(cohort=other).count() == 3


def test_same_person_twice_in_a_roster_is_one_enrollment_flagged(cohort) -> None:  # type: ignore[no-untyped-def]
    twice = [*ROWS, [4, "QUISPE", "MAMANI", "JUAN C.", "40000001", "M", "", "", "", "", "", ""]]
    report = roster_import(file=csv_bytes(twice), file_name="l.csv", cohort=cohort)
    assert report.rows[3].outcome == "repeated"
    assert report.rows[3].same_as_row == 2
    assert report.rows[3].person_code == report.rows[0].person_code
    assert Person.objects.count() == 3
    enrollment = Enrollment.objects.get(person__document_number="40000001")
    assert enrollment.repeated_in_roster
    records = SourceRecord.objects.filter(enrollment=enrollment).order_by("row_number")
    assert [(r.row_number, r.outcome) for r in records] == [(2, "new"), (5, "repeated")]


def test_linked_person_keeps_their_identity_and_gets_this_enrollment(cohort) -> None:  # type: ignore[no-untyped-def]
    person = PersonFactory(document_number="40000002", given_names="Ana", paternal_surname="Flores")
    roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort)
    assert Person.objects.count() == 3
    person.refresh_from_db()
    enrollment = Enrollment.objects.get(person=person, cohort=cohort)
    assert enrollment.region.name == "Lima"
    assert SourceRecord.objects.get(person=person).outcome == "linked"
    assert ImportBatch.objects.get().rows_linked == 1


def test_an_id_column_never_selects_a_record(cohort) -> None:  # type: ignore[no-untyped-def]
    victim = PersonFactory(document_number="40000099", given_names="Víctor")
    data = csv_bytes(
        [[victim.pk, "Intruso", "Eva", "40000050"]], header=["id", "Apellidos", "Nombres", "DNI"]
    )
    report = roster_import(file=data, file_name="l.csv", cohort=cohort)
    assert report.rows[0].outcome == "new"
    victim.refresh_from_db()
    assert victim.given_names == "Víctor"
    assert not Enrollment.objects.filter(person=victim).exists()
    assert SourceRecord.objects.get().raw["id"] == str(victim.pk)


def test_scores_on_0_100_are_inferred_and_converted(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = [[*row[:10], 55, 85] for row in ROWS]
    report = roster_import(file=csv_bytes(rows), file_name="l.csv", cohort=cohort)
    assert report.pre_scale == 100
    assert report.pre_scale_inferred
    score = Score.objects.get(enrollment__person__document_number="40000001", phase="pre")
    assert (score.scale_max, score.percent) == (Decimal("100"), Decimal("55.00"))


def test_given_scale_wins_and_scores_beyond_it_are_flagged(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = [[*ROWS[0][:10], 15, 30], ROWS[1]]
    report = roster_import(
        file=csv_bytes(rows), file_name="l.csv", cohort=cohort, pre_scale=20, post_scale=20
    )
    assert not report.pre_scale_inferred
    problems = [problem.problem for problem in report.rows[0].problems]
    assert any("mayor que la escala 0-20" in problem for problem in problems)
    assert not Score.objects.filter(
        enrollment__person__document_number="40000001", phase="post"
    ).exists()
    assert Score.objects.get(
        enrollment__person__document_number="40000001", phase="pre"
    ).percent == Decimal("75.00")


def test_invalid_dni_and_unknown_sex_keep_the_row(cohort) -> None:  # type: ignore[no-untyped-def]
    rows = [[1, "Quispe", "", "Juan", "12AB", "Z", "", "", "", "", "", ""]]
    report = roster_import(file=csv_bytes(rows), file_name="l.csv", cohort=cohort)
    assert report.status == "committed"
    person = Person.objects.get()
    assert (person.document_number, person.sex) == ("", "U")
    lines = report.problem_lines()
    assert "l.csv, fila 2, columna DNI (E): DNI '12AB' no válido: un DNI tiene 8 dígitos" in lines
    assert any(line.startswith("l.csv, fila 2, columna Sexo (F): sexo 'Z'") for line in lines)


def test_a_failure_while_writing_leaves_nothing_behind(cohort, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(Score.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort)
    assert _counts() == (0, 0, 0, 0, 0)


def test_bad_file_raises_and_leaves_nothing(cohort) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RosterFileError, match=r"malo\.csv"):
        roster_import(file=b"\x00\x01\x02binario", file_name="malo.csv", cohort=cohort)
    with pytest.raises(RosterFileError, match="ninguna fila de datos"):
        roster_import(file=csv_bytes([]), file_name="vacia.csv", cohort=cohort)
    assert _counts() == (0, 0, 0, 0, 0)


def test_review_outcome_creates_a_person_and_a_candidate_pair(cohort, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    existing = PersonFactory(document_number="")

    def review_first(rows: pd.DataFrame, **_options: object) -> pd.DataFrame:
        result = pd.DataFrame(
            {
                "person_id": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
                "outcome": "new",
                "score": 0.0,
                "reason": "sin coincidencias",
                "same_as_row": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
                "review_person_id": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
            },
            index=rows.index,
        )
        first = rows.index[0]
        result.loc[first, ["outcome", "score", "reason"]] = ["review", 0.7, "apellidos iguales"]
        result.loc[first, "review_person_id"] = existing.pk
        return result

    monkeypatch.setattr(planning, "match_rows", review_first)
    report = roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort)
    assert report.rows[0].outcome == "review"
    assert existing.code in report.rows[0].reason
    new_person = Person.objects.get(document_number="40000001")
    pair = DuplicateCandidate.objects.get()
    assert (pair.person_a, pair.person_b) == (existing, new_person)
    assert pair.score == pytest.approx(0.7)
    assert ImportBatch.objects.get().rows_review == 1


def test_header_only_names_the_column_letter_and_header(cohort) -> None:  # type: ignore[no-untyped-def]
    header = [*HEADER, "Correo"]
    rows = [[*ROWS[0], "no-es-correo"]]
    report = roster_import(file=csv_bytes(rows, header=header), file_name="l.csv", cohort=cohort)
    assert any("columna Correo (M)" in line for line in report.problem_lines())


def test_a_row_the_person_model_refuses_is_rejected_in_the_preview(cohort, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    real_build = planning.person_build_from

    def strict_build(values):  # type: ignore[no-untyped-def]
        if values.given_names == "Rosa":
            raise ValidationError({"given_names": ["Nombre no permitido."]})
        return real_build(values)

    monkeypatch.setattr(planning, "person_build_from", strict_build)
    report = roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort, dry_run=True)
    assert [row.outcome for row in report.rows] == ["new", "new", "rejected"]
    assert report.rows[2].reason == "given_names: Nombre no permitido."
