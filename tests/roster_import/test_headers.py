"""Spanish and English headers, any case, with or without accents."""

from __future__ import annotations

import pytest

from courses.roster_import.headers import HEADER_ALIASES, canonical_field, header_score


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
