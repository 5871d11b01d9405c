"""Spanish and English headers, any case, with or without accents."""

from __future__ import annotations

import pytest

from intake.roster_import.headers import HEADER_ALIASES, canonical_field, header_score


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nombres", "given_names"),
        ("FIRST NAME", "given_names"),
        ("first name", "given_names"),
        ("Apellido paterno", "paternal_surname"),
        ("APELLIDO MATERNO", "maternal_surname"),
        ("Apellidos", "surnames"),
        ("Last name", "surnames"),
        ("APELLIDOS Y NOMBRES", "full_name"),
        ("Nombres y apellidos", "full_name_given_first"),
        ("DNI", "dni"),
        ("N° DNI", "dni"),
        ("Nro. de DNI", "dni"),
        ("D.N.I.", "dni"),
        ("documento", "dni"),
        ("ID number", "dni"),
        ("Sexo", "sex"),
        ("Género", "sex"),
        ("GENERO", "sex"),
        ("Gender", "sex"),
        ("Institución", "institution"),
        ("INSTITUCION", "institution"),
        ("Entidad", "institution"),
        ("Organization", "institution"),
        ("Cargo", "role"),
        ("Position", "role"),
        ("Región", "region"),
        ("Departamento", "region"),
        ("Sede", "region"),
        ("Correo", "email"),
        ("E-mail", "email"),
        ("Celular", "phone"),
        ("Teléfono", "phone"),
        ("Phone", "phone"),
        ("Fecha de nacimiento", "birth_date"),
        ("Pre-test", "pre_score"),
        ("Nota entrada", "pre_score"),
        ("evaluacion_inicial", "pre_score"),
        ("PRE TEST", "pre_score"),
        ("Post-test", "post_score"),
        ("Nota salida", "post_score"),
        ("evaluacion_final", "post_score"),
        ("  nota   de salida ", "post_score"),
    ],
)
def test_header_variants_map_to_their_field(header: str, field: str) -> None:
    assert canonical_field(header) == field


@pytest.mark.parametrize("header", ["id", "ID", "pk", "Observaciones", "N°", "", None, 12])
def test_unknown_headers_and_id_map_to_nothing(header: object) -> None:
    assert canonical_field(header) is None


def test_every_alias_maps_to_its_own_field() -> None:
    for field, spellings in HEADER_ALIASES.items():
        for spelling in spellings:
            assert canonical_field(spelling) == field, spelling


def test_title_rows_do_not_look_like_a_header() -> None:
    assert header_score(["LISTA DE PARTICIPANTES"]) == 0
    assert header_score(["Curso:", "Trata de personas", "Sede:", "Cusco"]) == 1
    assert header_score(["N°", "Apellidos y nombres", "DNI"]) == 2


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # Moodle's identity fields (language pack "es" and lang/en).
        ("Número de ID", "dni"),
        ("ID number", "dni"),
        ("Apellido(s)", "surnames"),
        ("Dirección Email", "email"),
        ("Dirección de correo", "email"),
        ("Email address", "email"),
        # Form questions, titled as partners title them.
        ("Dirección de correo electrónico", "email"),
        ("Institución donde labora", "institution"),
        ("Entidad en la que trabaja", "institution"),
        ("¿En qué institución labora?", "institution"),
        ("Institution where you work", "institution"),
        ("Cargo que desempeña", "role"),
        ("¿Cuál es su cargo?", "role"),
        ("Position held", "role"),
        ("Región donde labora", "region"),
        # KoboToolbox XML names, in a group or not.
        ("institucion_donde_labora", "institution"),
        ("datos_personales/dni", "dni"),
        ("grupo/datos/apellido_paterno", "paternal_surname"),
    ],
)
def test_tools_and_form_questions_reach_their_field(header: str, field: str) -> None:
    assert canonical_field(header) == field


@pytest.mark.parametrize(
    "header",
    [
        "Institución que organiza el curso",
        "Nombre de usuario",
        "Cargo del docente",
        "Datos/Nombres del tutor",
        "Número de ID de la respuesta",
    ],
)
def test_aliases_are_whole_headers_not_words(header: str) -> None:
    """A header that only contains an alias's words reaches nothing: it is listed unread."""
    assert canonical_field(header) is None


def test_a_partners_slash_is_not_a_group_path() -> None:
    # "Apellidos/Nombres" is the whole name, as a partner writes it; not a path to "Nombres".
    assert canonical_field("Apellidos/Nombres") == "full_name"
    assert canonical_field("Cargo/Nombres") is None
