"""Names in cells whose order the roster does not say for sure.

- A "Nombres y apellidos" cell is written given names first ("Juan Carlos Quispe Mamani"),
  but with one surname as often as two ("José Alberto Díaz"), with a married name at the end
  ("Vanessa Yarque Churcota de Espinoza") and now and then surnames first after all.
- Someone answers a platform's "Nombre" with their surnames and "Apellido(s)" with their
  given names.

Position alone cannot tell these apart; knowing which words are given names can
(`participants.name_vocabulary`). Where the words do not tell, the roster's order stands.
"""

from __future__ import annotations

from participants.name_vocabulary import is_given_name
from participants.names import (
    SURNAME_PARTICLES,
    collapse_spaces,
    fold,
    split_full_name,
    split_surnames,
)


def _groups(words: list[str]) -> list[list[str]]:
    """Words with the particles before them ("de la Cruz" is one group); a trailing married
    "de X" joins the surname before it ("Churcota de Espinoza")."""
    groups: list[list[str]] = []
    pending: list[str] = []
    for word in words:
        if fold(word) in SURNAME_PARTICLES:
            pending.append(word)
            continue
        groups.append([*pending, word])
        pending = []
    if pending and groups:
        groups[-1].extend(pending)
    last = groups[-1] if groups else []
    if len(groups) > 2 and len(last) == 2 and fold(last[0]) == "DE":
        groups[-2:] = [groups[-2] + last]
    return groups


def _is_given(group: list[str]) -> bool:
    """A group is a given name by its last word: "del Carmen", "de los Ángeles"."""
    return is_given_name(group[-1])


def split_given_first(value: str) -> tuple[str, str, str]:
    """(given names, paternal surname, maternal surname) of a given-names-first cell."""
    text = collapse_spaces(value or "")
    if "," in text:  # "Juan Carlos, Quispe Mamani"
        given, surnames = (part.strip() for part in text.split(",", 1))
        paternal, maternal = split_surnames(surnames)
        return given, paternal, maternal
    words = text.split(" ") if text else []
    groups = _groups(words)
    if len(groups) == 1:
        return "", " ".join(groups[0]), ""
    if len(groups) == 2:
        return " ".join(groups[0]), " ".join(groups[1]), ""
    plain = [" ".join(group) for group in groups]
    if not _is_given(groups[0]) and _is_given(groups[-1]):
        # "Aguilar Mendoza Mayra": surnames first after all.
        parts = split_full_name(text)
        return parts.given_names, parts.paternal_surname, parts.maternal_surname
    given_count = len(groups) - 2
    if len(groups) == 3 and _is_given(groups[1]) and not _is_given(groups[2]):
        # "José Alberto Díaz": two given names and one surname.
        given_count = 2
    given = " ".join(plain[:given_count])
    surname_words = plain[given_count:]
    return given, surname_words[0], " ".join(surname_words[1:])


def swapped_name_cells(given: str, surnames: str) -> bool:
    """True when a given-names cell holds surnames and the surnames cell given names:
    every word of the surnames cell is a given name and none of the given-names cell is."""
    given_words = [w for w in fold(given).split(" ") if w and w not in SURNAME_PARTICLES]
    surname_words = [w for w in fold(surnames).split(" ") if w and w not in SURNAME_PARTICLES]
    return (
        bool(given_words)
        and bool(surname_words)
        and all(is_given_name(word) for word in surname_words)
        and not any(is_given_name(word) for word in given_words)
    )
