"""Password rules: common passwords (also in Spanish), few distinct characters, site words."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.contrib.auth.password_validation import validate_password as django_validate
from django.core.exceptions import ValidationError

from accounts.passwords import (
    CharacterVarietyValidator,
    SiteWordsValidator,
    SpanishCommonPasswordValidator,
    fold,
    password_core,
)


def _codes(password: str) -> set[str]:
    try:
        django_validate(password)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("aaaaaaaaaaaa", "password_too_repetitive"),
        ("Registro2024", "password_site_words"),
        ("Contraseña123!", "password_too_common"),
    ],
)
def test_the_weak_examples_are_refused_by_the_configured_validators(
    password: str, code: str
) -> None:
    assert code in _codes(password)


@pytest.mark.parametrize(
    "password",
    ["caballo correcto batería grapa", "Quispe-mango-1987-lluvia", "tres.tigres.tristes.7"],
)
def test_a_passphrase_is_accepted(password: str) -> None:
    assert _codes(password) == set()


@pytest.mark.parametrize(
    "password",
    ["CONTRASEÑA", "contrasena2024", "¡Contraseña!", "Clave_2024", "P@ssw0rd2024!", "teamo123456"],
)
def test_common_passwords_with_decorations_are_common(password: str) -> None:
    with pytest.raises(ValidationError) as error:
        SpanishCommonPasswordValidator().validate(password)
    assert error.value.code == "password_too_common"


@pytest.mark.parametrize(
    "password", ["R3g1stro_2024", "TrataPeru!2024", "Capacitación2025", "2024-Participantes"]
)
def test_site_words_with_digits_and_symbols_are_refused(password: str) -> None:
    with pytest.raises(ValidationError, match="palabras del propio registro"):
        SiteWordsValidator().validate(password)


@pytest.mark.parametrize("password", ["abababababab", "xyzxyzxyzxyz", "abc123abc123"])
def test_few_distinct_characters_or_a_repeated_piece_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        CharacterVarietyValidator().validate(password)


def test_folding_and_core() -> None:
    assert fold("Contraseña PERÚ") == "contrasena peru"
    assert password_core("¡R3g1stro_2024!") == "registro"


def test_help_texts_are_spanish() -> None:
    texts = " ".join(password_validators_help_texts())
    assert "palabras del registro" in texts
    assert "caracteres distintos" in texts
    assert "contraseña de uso común" in texts
