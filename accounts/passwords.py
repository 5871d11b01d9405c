"""Password rules beyond Django's own: common passwords in Spanish too, too few distinct
characters, and passwords built on the registry's own words.

Each validator compares a *folded* password (lower case, accents stripped) and its *core*:
the word left once the digits and symbols around it are taken off and leetspeak is undone
("Contraseña123!" -> "contrasena", "R3g1stro2024" -> "registro"), because a year or a "!"
added to a common word is the first thing a guesser tries.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

SPANISH_PASSWORD_LIST = Path(__file__).resolve().parent / "data" / "common_passwords_es.txt"

# The registry's own vocabulary: what a user sees on every page and is tempted to reuse.
SITE_WORDS = (
    "registro registros participante participantes capacitacion capacitaciones trata "
    "personas persona peru peruano lima curso cursos escuela escuelas cohorte administrador "
    "admin analista auditoria contrasena clave password alianzas accion trafico infantil "
    "ninos ninas partnerships action trafficking child end unicef proyecto sistema "
    "de del la las el los y en para contra"
).split()

_DECORATION = string.digits + string.punctuation + string.whitespace + "¡¿"
_LEET = str.maketrans("013457@$!|", "oieastasil")


def fold(text: str) -> str:
    """Lower case without accents: "Contraseña" -> "contrasena"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def password_core(password: str) -> str:
    """The letters a password is built on, without the digits and symbols around them."""
    stripped = fold(password).strip(_DECORATION)
    return re.sub(r"[^a-z]", "", stripped.translate(_LEET))


@lru_cache(maxsize=4)
def _password_list(paths: tuple[Path, ...]) -> frozenset[str]:
    words = {fold(word) for word in CommonPasswordValidator().passwords}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                words.add(fold(line))
    return frozenset(words)


class SpanishCommonPasswordValidator:
    """Refuse a password in Django's list of 20,000 common passwords or in the Spanish list,
    compared folded, also when it is one of them with digits or symbols around it."""

    def __init__(self, password_list_paths: Iterable[str | Path] = (SPANISH_PASSWORD_LIST,)):
        self.paths = tuple(Path(path) for path in password_list_paths)

    @property
    def passwords(self) -> frozenset[str]:
        return _password_list(self.paths)

    def validate(self, password: str, user: Any = None) -> None:
        core = password_core(password)
        if fold(password) in self.passwords or (len(core) >= 3 and core in self.passwords):
            raise ValidationError(
                "Esta contraseña es demasiado común (o una contraseña común con números o "
                "símbolos añadidos).",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return (
            "Su contraseña no puede ser una contraseña de uso común, ni una de ellas con "
            "números o símbolos añadidos."
        )


class CharacterVarietyValidator:
    """Refuse a password of few distinct characters ("aaaaaaaaaaaa", "abababababab") or one
    short piece repeated ("abc123abc123")."""

    def __init__(self, min_distinct: int = 6) -> None:
        self.min_distinct = min_distinct

    def validate(self, password: str, user: Any = None) -> None:
        folded = fold(password)
        if len(set(folded)) < self.min_distinct:
            raise ValidationError(
                "Esta contraseña tiene muy pocos caracteres distintos: use al menos "
                "%(min_distinct)d caracteres diferentes.",
                code="password_too_repetitive",
                params={"min_distinct": self.min_distinct},
            )
        if re.fullmatch(r"(.+?)\1+", folded):
            raise ValidationError(
                "Esta contraseña es un mismo fragmento repetido.",
                code="password_repeated_piece",
            )

    def get_help_text(self) -> str:
        return (
            f"Su contraseña debe tener al menos {self.min_distinct} caracteres distintos y no "
            "puede ser un mismo fragmento repetido."
        )


class SiteWordsValidator:
    """Refuse a password made only of the registry's own words (registro, participante,
    capacitación, trata, Perú, the project's name ...), with or without a year, digits or
    symbols: "Registro2024", "TrataPeru!", "R3g1stro_2024"."""

    def __init__(self, words: Iterable[str] = SITE_WORDS) -> None:
        self.words = frozenset(fold(word) for word in words)

    def validate(self, password: str, user: Any = None) -> None:
        if self._made_of_site_words(password_core(password)) or self._made_of_site_words(
            re.sub(r"[^a-z]", "", fold(password))
        ):
            raise ValidationError(
                "Esta contraseña está hecha de palabras del propio registro (como «registro», "
                "«participante», «capacitación», «trata» o «Perú») con números o símbolos.",
                code="password_site_words",
            )

    def _made_of_site_words(self, letters: str) -> bool:
        """Whether `letters` is one or more site words joined (a word break over them)."""
        if not letters:
            return False
        reachable = [True] + [False] * len(letters)
        for end in range(1, len(letters) + 1):
            reachable[end] = any(
                reachable[start] and letters[start:end] in self.words for start in range(end)
            )
        return reachable[-1]

    def get_help_text(self) -> str:
        return (
            "Su contraseña no puede estar hecha solo de palabras del registro (registro, "
            "participante, capacitación, trata, Perú ...) con números o símbolos."
        )
