"""Which column is read as which field, which is set aside, which is left unread and listed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from intake.roster_import.columns import IGNORE, ColumnPlan, column_plan, scores_warning
from intake.roster_import.reading import read_table
from tests.roster_import.files import csv_bytes

PEOPLE = [["Ana", "Quispe Mamani", "40000001"], ["Luis", "Rojas Flores", "40000002"]]
IDENTITY = ["Nombre", "Apellido(s)", "Número de ID"]


def plan_of(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    file_name: str = "lista.csv",
    profile: dict[str, str] | None = None,
) -> ColumnPlan:
    table = read_table(csv_bytes(rows, header=header), file_name=file_name)
    return column_plan(table, profile=profile)


def with_scores(*scores: Sequence[object]) -> list[list[object]]:
    return [[*person, *cells] for person, cells in zip(PEOPLE, scores, strict=True)]


def read_as(plan: ColumnPlan) -> dict[str, str]:
    return {plan.headers[position]: plan.field_of(position) for position in plan.read_by}


def test_quizzes_are_placed_by_their_names() -> None:
    plan = plan_of(
        [
            *IDENTITY,
            "Cuestionario:Evaluación diagnóstica (Real)",
            "Cuestionario:Examen final (Real)",
        ],
        with_scores(["11,50", "17,00"], ["-", "14,00"]),
    )
    assert read_as(plan)["Cuestionario:Evaluación diagnóstica (Real)"] == "pre_score"
    assert read_as(plan)["Cuestionario:Examen final (Real)"] == "post_score"
    assert plan.unread == []


def test_a_quiz_that_names_no_test_is_the_other_one() -> None:
    plan = plan_of(
        [*IDENTITY, "Pre-test", "Quiz: Unit exam (Real)"], with_scores([10, 16], [9, 15])
    )
    assert read_as(plan) == {**read_as(plan), "Pre-test": "pre_score"}
    assert read_as(plan)["Quiz: Unit exam (Real)"] == "post_score"
    assert any("la otra prueba ya se leyó" in note for note in plan.notes)


def test_two_quizzes_that_name_no_test_are_read_in_the_files_order() -> None:
    plan = plan_of(
        [*IDENTITY, "Cuestionario:Módulo 1 (Real)", "Cuestionario:Módulo 2 (Real)"],
        with_scores([10, 16], [9, 15]),
    )
    assert read_as(plan)["Cuestionario:Módulo 1 (Real)"] == "pre_score"
    assert read_as(plan)["Cuestionario:Módulo 2 (Real)"] == "post_score"
    assert any("en el orden del archivo" in note for note in plan.notes)


def test_three_quizzes_that_name_no_test_are_not_guessed() -> None:
    plan = plan_of(
        [*IDENTITY, "Quiz: Unit 1 (Real)", "Quiz: Unit 2 (Real)", "Quiz: Unit 3 (Real)"],
        with_scores([10, 16, 12], [9, 15, 11]),
    )
    assert "pre_score" not in plan.mapping
    assert "post_score" not in plan.mapping
    assert len(plan.unread) == 3
    assert scores_warning(plan, scores_read=0)


@pytest.mark.parametrize(
    ("file_name", "field"),
    [
        ("Evaluación de entrada (respuestas) - Respuestas de formulario 1.csv", "pre_score"),
        ("Exit test (Responses) - Form Responses 1.csv", "post_score"),
    ],
)
def test_a_forms_lone_score_takes_its_test_from_the_files_name(file_name: str, field: str) -> None:
    plan = plan_of(
        ["Marca temporal", "Puntuación", "Nombres y apellidos", "DNI"],
        [["14/05/2026 17:10:33", "14 / 20", "Ana Quispe Mamani", "40000001"]],
        file_name=file_name,
    )
    assert read_as(plan)["Puntuación"] == field
    assert plan.set_aside == {0: "datos de la herramienta sobre la respuesta"}


def test_a_lone_score_that_nothing_places_is_left_unread_and_warned_about() -> None:
    plan = plan_of(
        ["Marca temporal", "Puntuación", "Nombres y apellidos", "DNI"],
        [["14/05/2026 17:10:33", "14 / 20", "Ana Quispe Mamani", "40000001"]],
        file_name="respuestas.csv",
    )
    assert plan.unread == [1]
    assert plan.label(1) == "«Puntuación» (B)"
    assert any("no se lee; asígnela" in note for note in plan.notes)
    assert scores_warning(plan, scores_read=0)
    # Once a score is read (the user mapped it), there is nothing to warn about.
    assert scores_warning(plan, scores_read=1) == []


def test_two_equally_named_quizzes_are_both_left_to_the_user() -> None:
    plan = plan_of(
        [*IDENTITY, "Quiz: Entry test A (Real)", "Quiz: Entry test B (Real)", "Quiz: Exit (Real)"],
        with_scores([10, 11, 16], [9, 8, 15]),
    )
    assert "pre_score" not in plan.mapping
    assert read_as(plan)["Quiz: Exit (Real)"] == "post_score"
    assert plan.unread == [3, 4]
    assert any("podrían ser, cada una, el pre-test" in note for note in plan.notes)


@pytest.mark.parametrize(
    ("file_name", "field"), [("notas.csv", "post_score"), ("notas de entrada.csv", "pre_score")]
)
def test_the_course_total_is_a_test_only_without_quizzes(file_name: str, field: str) -> None:
    plan = plan_of(
        [*IDENTITY, "Tarea:Trabajo final (Real)", "Total del curso (Real)"],
        with_scores(["15,00", "15,00"], ["12,00", "12,00"]),
        file_name=file_name,
    )
    assert read_as(plan)["Total del curso (Real)"] == field
    # An assignment is not a test, even named "final": listed, not read.
    assert plan.unread == [3]


def test_a_test_column_must_hold_scores() -> None:
    plan = plan_of(
        [*IDENTITY, "Examen de salida"],
        with_scores(["aprobado"], ["desaprobado"]),
    )
    assert "post_score" not in plan.mapping
    assert plan.unread == [3]
    assert plan.test_like == [3]


def test_moodle_feedback_letters_and_other_displays_are_set_aside() -> None:
    plan = plan_of(
        [
            *IDENTITY,
            "Quiz: Exit test (Real)",
            "Quiz: Exit test (Percentage)",
            "Quiz: Exit test (Letter)",
            "Quiz: Exit test (Feedback)",
            "Last downloaded from this course",
        ],
        with_scores(
            ["17.00", "85.00 %", "A", "Muy bien", "1779489605"],
            ["14.00", "70.00 %", "B", "", "1779489605"],
        ),
    )
    assert plan.tool == "moodle"
    assert read_as(plan)["Quiz: Exit test (Percentage)"] == "post_score"
    assert plan.set_aside == {
        3: "la misma calificación, mostrada de otra forma",
        5: "la calificación en letras",
        6: "retroalimentación de una calificación",
        7: "datos de la herramienta sobre la respuesta",
    }


def test_a_profile_maps_an_unread_header_and_marks_another_not_to_import() -> None:
    header = [*IDENTITY, "Código del servidor", "Observaciones", "Cargo"]
    rows = with_scores(["A-1", "", "Fiscal"], ["A-2", "tardanza", "Juez"])
    before = plan_of(header, rows)
    assert before.unread == [3, 4]
    after = plan_of(
        header,
        rows,
        profile={"CODIGO DEL SERVIDOR": "phone", "OBSERVACIONES": IGNORE, "CARGO": "region"},
    )
    # The administrator's word over the alias: "Cargo" is read as they said.
    assert read_as(after) == {**read_as(after), "Código del servidor": "phone", "Cargo": "region"}
    assert after.read_by[3] == "profile"
    assert after.set_aside == {4: "marcada para no importarse en una importación anterior"}
    assert after.unread == []


def test_unnamed_empty_columns_are_not_listed_but_unnamed_filled_ones_are() -> None:
    plan = plan_of(
        ["N°", "Apellidos y nombres", "DNI", "", ""],
        [[1, "Quispe Mamani, Ana", "40000001", "", "dato"]],
    )
    assert plan.set_aside == {0: "numeración de las filas"}
    assert [plan.label(position) for position in plan.unread] == ["«Columna E» (E)"]


def test_a_microsoft_forms_account_name_is_read_only_when_the_form_asks_no_name() -> None:
    header = ["ID", "Hora de inicio", "Hora de finalización", "Correo electrónico", "Nombre"]
    rows = [[1, "2026-05-04 09:02", "2026-05-04 09:11", "aquispe@pnp.example", "Ana Quispe Mamani"]]
    plan = plan_of([*header, "DNI"], [[*rows[0], "40000001"]])
    assert plan.tool == "microsoft_forms"
    assert read_as(plan)["Nombre"] == "full_name_given_first"
    assert read_as(plan)["Correo electrónico"] == "email"
    asked = plan_of([*header, "Nombres", "Apellidos"], [[*rows[0], "Ana", "Quispe Mamani"]])
    assert asked.field_of(4) == ""
    assert 4 in asked.set_aside
    assert read_as(asked)["Nombres"] == "given_names"


def test_no_warning_for_a_file_without_test_columns() -> None:
    plan = plan_of(IDENTITY, PEOPLE)
    assert plan.test_like == []
    assert scores_warning(plan, scores_read=0) == []


def test_the_tools_own_columns_and_ignored_ones_are_no_reason_to_warn() -> None:
    header = ["ID", "Hora de inicio", "Hora de finalización", "Correo electrónico", "Nombre"]
    header += ["Total de puntos", "Comentarios del cuestionario", "DNI", "Puntos: DNI"]
    rows = [[1, "9:02", "9:11", "anonymous", "", 14, "", "40000001", ""]]
    plan = plan_of([*header, "Apellidos y nombres"], [[*rows[0], "Quispe Mamani, Ana"]])
    # "Total de puntos" is a score that nothing places (no test in the file's name).
    assert [plan.label(position) for position in plan.test_like] == ["«Total de puntos» (F)"]
    ignored = plan_of(
        [*header, "Apellidos y nombres"],
        [[*rows[0], "Quispe Mamani, Ana"]],
        profile={"TOTAL DE PUNTOS": IGNORE},
    )
    assert ignored.test_like == []
    assert scores_warning(ignored, scores_read=0) == []


def test_a_lists_lone_score_column_is_the_test_its_other_column_is_not() -> None:
    plan = plan_of([*IDENTITY, "Pre-test", "Nota"], with_scores([10, 16], [9, 15]))
    assert read_as(plan)["Nota"] == "post_score"
