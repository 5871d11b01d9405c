"""Password rules against patterns a guesser tries before any word list: a walk along the
keyboard ("qwertyuiopas", "1qaz2wsx3edc") or an alphabet run ("abcdefghijkl"), and the user's
own name with digits or symbols around it ("esc_a2024esc_a" for user esc_a).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

from accounts.passwords import fold

# A Spanish (Latin American) keyboard; each row starts a little further right than the one
# above it, so a key touches two keys of the row above and two of the row below.
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjklñ", "zxcvbnm")
_ROW_OFFSETS = (0.0, 0.5, 0.75, 1.25)
_KEY_POSITIONS = {
    key: (row, column + _ROW_OFFSETS[row])
    for row, keys in enumerate(KEYBOARD_ROWS)
    for column, key in enumerate(keys)
}
ALPHABET = "abcdefghijklmnñopqrstuvwxyz"
# A run of this many keys or more counts as a pattern; two or three neighbouring keys happen
# in ordinary words ("tre" in "tres").
MIN_RUN = 4


def _keys_touch(first: str, second: str) -> bool:
    # A key pressed twice is no walk ("ll" in "caballo"); repeats are the variety rule's concern.
    if first not in _KEY_POSITIONS or second not in _KEY_POSITIONS:
        return False
    (row_a, x_a), (row_b, x_b) = _KEY_POSITIONS[first], _KEY_POSITIONS[second]
    if row_a == row_b:
        return abs(x_a - x_b) == 1
    return abs(row_a - row_b) == 1 and abs(x_a - x_b) <= 1


def _in_sequence(first: str, second: str) -> bool:
    """Neighbours in the alphabet or among the digits ("ab", "ba", "45")."""
    for sequence in (ALPHABET, "0123456789"):
        if first in sequence and second in sequence:
            return abs(sequence.index(first) - sequence.index(second)) == 1
    return False


def _run_coverage(text: str, linked: Any) -> set[int]:
    """Positions of `text` inside runs of at least MIN_RUN characters, each linked to the next."""
    covered: set[int] = set()
    start = 0
    for end in range(1, len(text) + 1):
        if end == len(text) or not linked(text[end - 1], text[end]):
            if end - start >= MIN_RUN:
                covered.update(range(start, end))
            start = end
    return covered


def keyboard_pattern_share(password: str) -> float:
    """The share of a password's characters that lie in keyboard walks or alphabet runs.

    A symbol or space breaks a run, so that words joined by separators are not read as one."""
    text = fold(password)
    if not text:
        return 0.0
    covered = _run_coverage(text, _keys_touch) | _run_coverage(text, _in_sequence)
    return len(covered) / len(text)


class KeyboardPatternValidator:
    """Refuse a password mostly made of keyboard walks or alphabet runs."""

    def __init__(self, max_share: float = 0.6) -> None:
        self.max_share = max_share

    def validate(self, password: str, user: Any = None) -> None:
        if keyboard_pattern_share(password) > self.max_share:
            raise ValidationError(
                "Esta contraseña es una secuencia de teclas vecinas del teclado o de letras "
                "seguidas del alfabeto (como «qwerty», «asdfgh» o «abcdef»).",
                code="password_keyboard_pattern",
            )

    def get_help_text(self) -> str:
        return (
            "Su contraseña no puede ser una secuencia de teclas vecinas ni de letras o números "
            "seguidos (qwerty, asdfgh, abcdef, 123456)."
        )


class UserDerivedPasswordValidator:
    """Refuse a password that is the user's name, or e-mail's name, once, twice or with digits
    and symbols around it. Django's similarity check misses these: "esc_a2024esc_a" is long
    enough next to "esc_a" to look different."""

    ATTRIBUTES = ("username", "first_name", "last_name", "email")

    def __init__(self, min_own_letters: int = 4) -> None:
        self.min_own_letters = min_own_letters

    def _user_words(self, user: Any) -> list[str]:
        words = []
        for attribute in self.ATTRIBUTES:
            value = fold(str(getattr(user, attribute, "") or ""))
            if attribute == "email":
                value = value.partition("@")[0]
            for word in (value, re.sub(r"[^a-zñ0-9]", "", value)):
                if len(word) >= 3:
                    words.append(word)
        # The longest first, so that "esc_a" goes before a shorter piece of it.
        return sorted(set(words), key=len, reverse=True)

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        words = self._user_words(user)
        if not words:
            return
        rest = fold(password)
        found = False
        for word in words:
            if word in rest:
                found = True
                rest = rest.replace(word, "")
        own_letters = re.sub(r"[^a-zñ]", "", rest)
        if found and len(own_letters) < self.min_own_letters:
            raise ValidationError(
                "Esta contraseña está hecha de su nombre de usuario (o su nombre o correo) con "
                "números o símbolos: elija una que no se deduzca de ellos.",
                code="password_user_derived",
            )

    def get_help_text(self) -> str:
        return (
            "Su contraseña no puede ser su nombre de usuario, nombre o correo con números o "
            "símbolos añadidos."
        )
