"""A phonetic key for Spanish and Quechua/Aymara names as written in Peru.

Generic English phonetic codes (Soundex, Metaphone) treat "V"/"B", "Z"/"S", "LL"/"Y" or
"Huamán"/"Guamán" as different sounds; for Peruvian rosters they are the same name written by
different hands. The key keeps vowels (they carry most of the identity in short Andean names)
but merges the vowel pairs that Quechua spelling alternates (E/I and O/U: Quispe/Quispi,
Condori/Cunduri).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import fold, maternal_core, surname_core

# Order matters: each rule sees the output of the previous one.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"[^A-Z]", ""),
        (r"X", "J"),  # Ximena / Jimena, Xavier / Javier
        (r"CH", "1"),  # keep "CH" distinct from C/K/S
        (r"CC", "K"),  # Ccahuana / Cahuana
        (r"QU", "K"),
        (r"Q", "K"),
        (r"C(?=[EI])", "S"),
        (r"C", "K"),
        (r"GU(?=[EI])", "G"),
        (r"G(?=[EI])", "J"),
        (r"(?:HU|GU)(?=[AEIOU])", "W"),  # Huamán / Guamán / Wamán
        (r"H", ""),
        (r"LL(?![AEIOU])", "L"),  # Huillca / Huilca
        (r"LL", "Y"),
        (r"Y(?![AEIOU])", "I"),
        (r"NT", "ND"),  # Kunturi / Condori
        (r"Z", "S"),
        (r"V", "B"),
        (r"E", "I"),
        (r"O", "U"),
        (r"(.)\1+", r"\1"),
    )
)


def spanish_phonetic_key(value: str | None) -> str:
    """Phonetic key of one word or of a whole name (its words are joined)."""
    return _key_of_letters(fold(value).replace(" ", ""))


# Twenty-one substitutions per name: each folded spelling is keyed once per process.
@lru_cache(maxsize=65536)
def _key_of_letters(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text.replace("1", "C")


def given_key(given_names: str | None) -> str:
    """Key of the first given name, folded before it is split: "Mary-Luz" is "MARY LUZ", so
    its first given name is "MARY" however the hyphen was typed."""
    folded = fold(given_names)
    return spanish_phonetic_key(folded.split(" ")[0]) if folded else ""


def surname_key(surname: str | None) -> str:
    return spanish_phonetic_key(surname_core(fold(surname)))


def maternal_key(surname: str | None) -> str:
    return spanish_phonetic_key(maternal_core(fold(surname)))


def name_keys(*, given_names: str, paternal_surname: str, maternal_surname: str) -> dict[str, str]:
    """The stored blocking keys of a name: the one rule for persons, identity records and
    the look-ups of the rows that are matched against them."""
    return {
        "paternal_key": surname_key(paternal_surname),
        "maternal_key": maternal_key(maternal_surname),
        "given_key": given_key(given_names),
    }
