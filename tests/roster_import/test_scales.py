"""The scale of each test is read from the bulk of its scores; an outlier is one flagged row."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from assessments.models import Score
from courses.models import ImportBatch
from intake.roster_import import roster_import
from intake.roster_import.scales import fitting_scales, scales_decide
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db


def _rows(pairs: list[tuple[object, object]]) -> list[list[object]]:
    """One synthetic participant per (pre, post) pair, with distinct names and DNIs."""
    given = ["Ana", "Luis", "Rosa", "Pedro", "Elena", "Jorge", "Marta", "Raúl", "Sonia", "Iván"]
    surnames = ["Quispe", "Mamani", "Flores", "Huamán", "Rojas", "Torres", "Vargas", "Castro"]
    return [
        [
            number,
            surnames[number % len(surnames)],
            surnames[(number * 3 + 1) % len(surnames)],
            f"{given[number % len(given)]} {given[(number + 4) % len(given)]}",
            f"{41000000 + number}",
            "F" if number % 2 else "M",
            "PNP",
            "",
            "Cusco",
            "",
            pre,
            post,
        ]
        for number, (pre, post) in enumerate(pairs, start=1)
    ]


def _decimals(*values: float) -> list[Decimal]:
    return [Decimal(str(value)) for value in values]


def test_one_score_above_twenty_does_not_rescale_the_column() -> None:
    assert fitting_scales(_decimals(12, 14, 15, 16, 18, 21)) == [20, 100]
    assert fitting_scales(_decimals(15, 18, 21)) == [20, 100]
    # A single score, or a tenth and more of a column, above 20 is no outlier.
    assert fitting_scales(_decimals(55)) == [100]
    assert fitting_scales(_decimals(12, 14, 15, 16, 18, 21, 22, 25, 30, 40)) == [100]
    assert fitting_scales(_decimals(130, 140)) == [100]


def test_an_outlier_post_score_is_flagged_and_the_rest_stay_on_0_20(cohort) -> None:  # type: ignore[no-untyped-def]
    pairs = [(12, 16), (10, 15), (8, 14), (11, 17), (13, 21), (9, 15), (14, 18), (10, 16)]
    report = roster_import(file=csv_bytes(_rows(pairs)), file_name="l.csv", cohort=cohort)

    assert (report.pre_scale, report.post_scale) == (20, 20)
    assert report.post_scale_inferred
    outlier = report.rows[4]
    assert outlier.row_number == 6  # the header is row 1
    assert [problem.column for problem in outlier.problems] == ["Post-test (L)"]
    assert outlier.problems[0].problem == (
        "nota 21 mayor que la escala 0-20 (inferida de las notas); no se guarda"
    )
    assert "l.csv, fila 6, columna Post-test (L): nota 21 mayor que la escala 0-20" in (
        "\n".join(report.problem_lines())
    )
    posts = Score.objects.filter(phase="post")
    assert posts.count() == 7
    assert set(posts.values_list("scale_max", flat=True)) == {Decimal(20)}
    assert not [
        score
        for score in posts
        if score.percent < Score.objects.get(enrollment=score.enrollment, phase="pre").percent
    ]
    options = ImportBatch.objects.get().options
    assert (options["post_scale"], options["post_scale_inferred"]) == ("20", True)


def test_a_real_0_100_column_is_still_read_as_percentages(cohort) -> None:  # type: ignore[no-untyped-def]
    pairs = [(55, 80), (40, 75), (62, 90), (35, 70), (50, 85)]
    report = roster_import(file=csv_bytes(_rows(pairs)), file_name="l.csv", cohort=cohort)
    assert (report.pre_scale, report.post_scale) == (100, 100)
    assert not report.problem_lines()


def test_the_scales_that_make_everyone_lose_knowledge_are_passed_over() -> None:
    """Low percentages before the course fit 0-20 too; read so, every participant would lose."""
    pre, post = _decimals(15, 18, 20, 16, 17), _decimals(45, 60, 70, 55, 65)
    decision = scales_decide(
        pre_scores=pre,
        post_scores=post,
        pairs=list(zip(pre, post, strict=True)),
        pre_given=None,
        post_given=None,
    )
    assert (decision.pre, decision.post) == (100, 100)
    assert (decision.pre_inferred, decision.post_inferred) == (True, True)
    assert decision.warnings == []


def test_when_every_reading_is_a_loss_the_preview_says_so(cohort) -> None:  # type: ignore[no-untyped-def]
    pairs = [(85, 12), (80, 14), (90, 11), (88, 13)]
    report = roster_import(
        file=csv_bytes(_rows(pairs)), file_name="l.csv", cohort=cohort, dry_run=True
    )
    assert (report.pre_scale, report.post_scale) == (100, 20)
    assert report.scale_warnings == [
        "con la escala 0-100 del pre-test y 0-20 del post-test, 4 de 4 participantes con ambas "
        "notas tendrían menos nota en el post-test que en el pre-test: revise las escalas antes "
        "de confirmar"
    ]
    assert any("revise las escalas" in line for line in report.scale_lines())


def test_a_stated_scale_is_recorded_as_stated(tmp_path: Path) -> None:
    pairs = [(12, 16), (10, 15), (8, 21)]
    path = tmp_path / "lista.csv"
    path.write_bytes(csv_bytes(_rows(pairs)))
    out = io.StringIO()
    call_command(
        "import_roster",
        str(path),
        "--course",
        "Curso A",
        "--cohort",
        "C1",
        "--post-scale",
        "20",
        stdout=out,
    )
    text = out.getvalue()
    assert "Escala del post-test: 0-20 (indicada)." in text
    assert "Escala del pre-test: 0-20 (inferida de las notas" in text
    assert (
        "lista.csv, fila 4, columna Post-test (L): nota 21 mayor que la escala 0-20 (indicada)"
        in (text)
    )
    options = ImportBatch.objects.get().options
    assert (options["pre_scale_inferred"], options["post_scale_inferred"]) == (True, False)


def _stored(cohort) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:  # type: ignore[no-untyped-def]
    return {
        (score.enrollment.person.document_number, score.phase): (score.raw_score, score.scale_max)
        for score in Score.objects.filter(enrollment__cohort=cohort).select_related(
            "enrollment__person"
        )
    }


def test_scores_written_out_of_twenty_take_that_scale_from_the_file(cohort) -> None:  # type: ignore[no-untyped-def]
    # Every score would fit 0-100 too; the cells say 0-20.
    report = roster_import(
        file=csv_bytes(_rows([("12 / 20", "18 / 20"), ("10 / 20", "15 / 20")])),
        file_name="l.csv",
        cohort=cohort,
    )
    assert (report.pre_scale, report.post_scale) == (20, 20)
    assert report.scale_from_file == {"pre": True, "post": True}
    assert not report.pre_scale_inferred
    assert "Escala del pre-test: 0-20 (indicada en el archivo)." in report.scale_lines()
    assert _stored(cohort)[("41000001", "post")] == (Decimal("18.00"), Decimal("20.00"))


def test_scores_written_out_of_another_maximum_are_converted_to_0_100(cohort) -> None:  # type: ignore[no-untyped-def]
    # A ten-point Google Forms quiz: "7 / 10" is 70 %, not 7 on 0-20.
    report = roster_import(
        file=csv_bytes(_rows([("7 / 10", "9 / 10"), ("5 / 10", "8,5 / 10")])),
        file_name="l.csv",
        cohort=cohort,
    )
    assert (report.pre_scale, report.post_scale) == (100, 100)
    stored = _stored(cohort)
    assert stored[("41000001", "pre")] == (Decimal("70.00"), Decimal("100.00"))
    assert stored[("41000002", "post")] == (Decimal("85.00"), Decimal("100.00"))
    assert "2 notas del pre-test escritas sobre 10 se convierten a la escala 0-100." in (
        report.scale_lines()
    )


def test_a_stated_scale_converts_the_files_scores_to_it(cohort) -> None:  # type: ignore[no-untyped-def]
    report = roster_import(
        file=csv_bytes(_rows([("14 / 20", "18 / 20"), ("10 / 20", "15 / 20")])),
        file_name="l.csv",
        cohort=cohort,
        pre_scale=100,
    )
    assert report.pre_scale == 100
    assert report.scale_from_file["pre"] is False
    assert _stored(cohort)[("41000001", "pre")] == (Decimal("70.00"), Decimal("100.00"))


def test_a_few_scores_with_one_above_twenty_are_read_on_0_20_and_the_preview_says_so(
    cohort,  # type: ignore[no-untyped-def]
) -> None:
    """Three rows (pre 12/14/11, post 21/17): thin evidence, so Peru's 0-20 is assumed and the
    21 is the one flagged score, instead of reading the whole roster as percentages."""
    pairs: list[tuple[object, object]] = [(12, 21), (14, 17), (11, "")]
    report = roster_import(
        file=csv_bytes(_rows(pairs)), file_name="l.csv", cohort=cohort, dry_run=True
    )
    assert (report.pre_scale, report.post_scale) == (20, 20)
    lines = report.scale_lines()
    assert (
        "Solo 2 notas del post-test: se asume la escala 0-20, la de los cursos peruanos; "
        "indique la escala si es otra." in lines
    )
    assert any("Solo 3 notas del pre-test" in line for line in lines)
    assert any("nota 21 mayor que la escala 0-20" in line for line in report.problem_lines())


def test_many_scores_keep_the_bulk_rule() -> None:
    """With ten scores or more, one above 20 in two is still no outlier of 0-20."""
    assert fitting_scales(_decimals(21, 17)) == [20, 100]
    assert fitting_scales(_decimals(21)) == [100]
    assert fitting_scales(_decimals(*([21] * 5), *([17] * 5))) == [100]


def test_a_result_asks_for_no_confirmation_a_preview_asks_for() -> None:
    from intake.roster_import.report import STATUS_PARTIAL, ImportReport
    from intake.roster_import.scales import BEFORE_CONFIRMING

    def lines(*, dry_run: bool) -> str:
        report = ImportReport(
            file_name="l.csv",
            sha256="",
            dry_run=dry_run,
            commit_valid=True,
            status=STATUS_PARTIAL,
            post_scale=Decimal(20),
            post_scale_inferred=True,
            scale_warnings=[f"con la escala 0-20 ... en el post-test: {BEFORE_CONFIRMING}"],
        )
        return " ".join([report.summary(), *report.scale_lines()])

    preview, result = lines(dry_run=True), lines(dry_run=False)
    assert "(inferida de las notas, confirme)" in preview
    assert BEFORE_CONFIRMING in preview
    assert "confirm" not in result
    assert "Escala del post-test: 0-20 (inferida de las notas)." in result
    assert "importadas las filas válidas" in result
