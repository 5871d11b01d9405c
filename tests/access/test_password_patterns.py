"""Password rules: keyboard walks, alphabet runs and passwords made of the user's own name."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from accounts.password_patterns import (
    KeyboardPatternValidator,
    UserDerivedPasswordValidator,
    keyboard_pattern_share,
)


def _codes(password: str, user=None) -> set[str]:  # type: ignore[no-untyped-def]
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def _user(username: str = "esc_a", **names: str):  # type: ignore[no-untyped-def]
    return get_user_model()(username=username, **names)


@pytest.mark.parametrize(
    "password",
    [
        "qwertyuiopas",
        "QWERTYUIOPÑ!",
        "1qaz2wsx3edc",
        "asdfghjklñ12",
        "zxcvbnmasdfg",
        "poiuytrewqas",
        "abcdefghijkl",
        "qwerty123456",
    ],
)
def test_keyboard_walks_are_refused_by_the_configured_validators(password: str) -> None:
    assert "password_keyboard_pattern" in _codes(password)


@pytest.mark.parametrize(
    "password",
    [
        "caballo correcto batería grapa",
        "Quispe-mango-1987-lluvia",
        "tres.tigres.tristes.7",
        "correct-horse-battery-staple",
    ],
)
def test_passphrases_are_no_keyboard_walk(password: str) -> None:
    KeyboardPatternValidator().validate(password)
    assert keyboard_pattern_share(password) <= 0.25


@pytest.mark.parametrize(
    "password", ["esc_a2024esc_a", "ESC_A2024!", "2024esca2024esca", "esc_a_esc_a_2024"]
)
def test_the_username_with_digits_or_symbols_is_refused(password: str) -> None:
    assert "password_user_derived" in _codes(password, _user())


def test_names_and_email_with_digits_are_refused() -> None:
    user = _user("lucia.q", first_name="Lucía", last_name="Quispe", email="lquispe@example.pe")
    for password in ("Quispe1985!!Quispe", "lquispe-2024-2025", "lucia.q.1234567"):
        with pytest.raises(ValidationError, match="nombre de usuario"):
            UserDerivedPasswordValidator().validate(password, user)


def test_a_passphrase_that_mentions_the_name_is_accepted() -> None:
    assert _codes("esc_a-mango-lluvia-tigre", _user()) == set()
    assert _codes("caballo correcto batería grapa", _user()) == set()


def test_help_texts_are_spanish() -> None:
    texts = " ".join(password_validators_help_texts())
    assert "teclas vecinas" in texts
    assert "nombre de usuario" in texts
