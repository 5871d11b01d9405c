"""Normalisation of Hispanic personal names as they arrive in rosters.

Every name first goes through `clean_text`, at the import and in the forms: control
characters, terminal escape sequences, bidirectional overrides and zero-width characters are
dropped. Then two forms are produced from a raw name:
- a *display* form kept on the person (accents kept, spaces collapsed, title case with the
  Spanish particles "de", "la", "del", "los", "y" in lower case), and
- a *folded* form used for matching (no accents, upper case, letters and single spaces only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

# Particles that belong to a compound surname ("DE LA CRUZ", "DEL AGUILA", "VAN DER ...").
SURNAME_PARTICLES = frozenset(
    {"DE", "DEL", "LA", "LAS", "LOS", "Y", "SAN", "SANTA", "VAN", "DER", "DA"}
)
_LOWER_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "van", "der"})
_NOT_NAME = re.compile(r"[^A-Z\s'-]")
_SPACES = re.compile(r"\s+")


def collapse_spaces(value: str) -> str:
    """Strip and reduce every run of white space (including non-breaking ones) to one space."""
    return _SPACES.sub(" ", value.replace("\u00a0", " ")).strip()


# ECMA-48 escape sequences as a terminal reads them: CSI (ESC [ or the C1 byte 0x9B, then
# parameters and one final byte: "\x1b[31m"), OSC (ESC ] ... BEL or ESC \\, e.g. a
# hyperlink or a window title) and the two-character escapes (ESC + one byte).
_TERMINAL_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]?"
)


# Characters Unicode marks "default ignorable" that Python still counts as printable: the
# Hangul fillers (letters that draw a blank, so "Ana" + U+3164 looks like "Ana" yet differs)
# and the invisible marks (combining grapheme joiner U+034F, Khmer inherent vowels, Mongolian
# and standard variation selectors). A filler shows as a blank, so it becomes a space; the
# invisible marks show nothing and are dropped.
_BLANK_LETTERS = re.compile("[\u115f\u1160\u3164\uffa0]")
_INVISIBLE_MARKS = re.compile(
    "[\u034f\u17b4\u17b5\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)


def clean_text(value: str | None) -> str:
    """Only what a reader sees: no controls, escapes, direction overrides or invisibles.

    A name with "\x1b[2J" clears the terminal of whoever lists it; a right-to-left override
    (U+202E) shows "Ana" where "anA" is stored, and a zero-width space makes two spellings
    look the same and compare different; a Hangul filler (U+3164) is a letter that draws
    nothing. Such characters are dropped (a line break, tab or filler becomes a space) and
    spaces are collapsed. Letters of any script, accents and
    apostrophes are kept.
    """
    if not value:
        return ""
    text = _TERMINAL_ESCAPE.sub("", str(value))
    text = _INVISIBLE_MARKS.sub("", _BLANK_LETTERS.sub(" ", text))
    if not text.isprintable():
        # Not printable: the Unicode categories Cc, Cf, Cs, Co, Cn, Zl, Zp and the spaces
        # other than " ". The spaces and line separators stay as spaces.
        text = "".join(
            char if char.isprintable() else " "
            for char in text
            if char.isprintable() or char.isspace()
        )
    return collapse_spaces(text)


def fold(value: str | None) -> str:
    """Matching form: ASCII upper case, only letters, apostrophes, hyphens and single spaces."""
    if not value:
        return ""
    # `clean_text` reads any other value as its text, so the text is the cache's key.
    return _fold_text(value if type(value) is str else str(value))


# Rosters repeat the same few thousand names: each spelling is folded once per process.
@lru_cache(maxsize=65536)
def _fold_text(value: str) -> str:
    text = unidecode(clean_text(value)).upper()
    text = _NOT_NAME.sub(" ", text).replace("-", " ").replace("'", "")
    return collapse_spaces(text)


# What people write in a name cell when there is no name to give, as `fold` leaves it
# ("S/N" -> "S N", "N/A" -> "N A"). A bare "NA" is not here: it can be a real surname.
_NO_NAME = frozenset(
    {
        "S N",
        "SN",
        "N A",
        "NN",
        "N N",
        "SIN NOMBRE",
        "SIN NOMBRES",
        "SIN APELLIDO",
        "SIN APELLIDOS",
        "NINGUNO",
        "NINGUNA",
        "NO TIENE",
    }
)
_ONLY_X = re.compile(r"^X{2,}$")


def is_placeholder_name(value: str | None) -> bool:
    """True for a filled-in name cell that names no one: "###", "--", "0", "S/N", "XXX".

    Such a value taken as a name would make "###" a surname and link every row that has it.
    An empty cell is not a placeholder: it is simply empty.
    """
    if not value or not value.strip():
        return False
    folded = fold(value)
    return not folded or folded in _NO_NAME or bool(_ONLY_X.match(folded.replace(" ", "")))


def display_name(value: str | None) -> str:
    """Display form: accents kept, title case, particles in lower case except at the start."""
    if not value:
        return ""
    words = clean_text(value).strip(" ,.;").split(" ")
    out = []
    for position, word in enumerate(words):
        lower = word.lower()
        if position > 0 and lower in _LOWER_PARTICLES:
            out.append(lower)
        else:
            # Keep hyphenated and apostrophe names readable: "mary-luz" -> "Mary-Luz".
            out.append("-".join(part[:1].upper() + part[1:] for part in lower.split("-")))
    return " ".join(out)


def split_surnames(value: str) -> tuple[str, str]:
    """Split "Quispe Mamani" or "De la Cruz Flores" into (paternal, maternal).

    Particles attach to the word that follows them, so compound surnames stay whole.
    """
    words = collapse_spaces(value).split(" ") if value and value.strip() else []
    groups: list[list[str]] = []
    pending: list[str] = []
    for word in words:
        if fold(word) in SURNAME_PARTICLES:
            pending.append(word)
            continue
        groups.append([*pending, word])
        pending = []
    if pending:
        if groups:
            groups[-1].extend(pending)
        else:
            groups.append(pending)
    if not groups:
        return "", ""
    if len(groups) == 1:
        return " ".join(groups[0]), ""
    return " ".join(groups[0]), " ".join(w for g in groups[1:] for w in g)


@dataclass(frozen=True)
class NameParts:
    given_names: str
    paternal_surname: str
    maternal_surname: str


def split_full_name(value: str) -> NameParts:
    """Split one "APELLIDOS Y NOMBRES" cell.

    With a comma ("QUISPE MAMANI, Juan Carlos") the surnames are before it. Without one, the
    Peruvian roster convention is surnames first: the first two surname groups are taken as
    surnames and the rest as given names.
    """
    text = collapse_spaces(value or "")
    if "," in text:
        surnames, given = (part.strip() for part in text.split(",", 1))
        paternal, maternal = split_surnames(surnames)
        return NameParts(given, paternal, maternal)
    words = text.split(" ") if text else []
    groups: list[list[str]] = []
    pending: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        if len(groups) == 2 and not pending and fold(word) == "DE" and len(words) - position >= 2:
            # A married name after the two surnames ("CORDOVA SANCHEZ DE APAZA MARIA"): the
            # husband's surname belongs with hers, and a given name still follows.
            groups[1] += [word, words[position]]
            position += 1
            continue
        if fold(word) in SURNAME_PARTICLES and len(groups) < 2:
            pending.append(word)
            continue
        groups.append([*pending, word])
        pending = []
    if len(groups) <= 1:
        # A single word is most likely a surname alone; keep it so the row is not lost.
        return NameParts("", " ".join(groups[0]) if groups else "", "")
    if len(groups) == 2:
        return NameParts(" ".join(groups[1]), " ".join(groups[0]), "")
    given = " ".join(w for g in groups[2:] for w in g)
    return NameParts(given, " ".join(groups[0]), " ".join(groups[1]))


# Particles people write or leave out at the start of a surname: "De la Cruz", "Cruz".
_LEADING_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS"})
# The same particles typed together with the surname: "Delacruz", "Delosrios". "DEL" alone is
# not here: "DELGADO" is a surname of its own.
_JOINED_PARTICLES = ("DELOS", "DELAS", "DELA")


def surname_core(folded: str) -> str:
    """The part of a folded surname by which people recognise it, for matching only.

    - A married woman's "de" + husband's surname after her own surname is dropped:
      "SANCHEZ DE APAZA" -> "SANCHEZ" (the display keeps it: it is part of how she signs).
    - Leading particles are dropped, whether typed apart or together with the surname:
      "DE LA CRUZ", "DELACRUZ" -> "CRUZ".
    """
    words = folded.split(" ") if folded else []
    for position in range(1, len(words) - 1):
        if words[position] == "DE" and words[position - 1] not in SURNAME_PARTICLES:
            words = words[:position]
            break
    while len(words) > 1 and words[0] in _LEADING_PARTICLES:
        words = words[1:]
    if len(words) == 1:
        for joined in _JOINED_PARTICLES:
            if words[0].startswith(joined) and len(words[0]) - len(joined) >= 3:
                words = [words[0][len(joined) :]]
                break
    return " ".join(words)


def maternal_core(folded: str) -> str:
    """`surname_core` of a maternal surname cell, where "DE APAZA" alone is a married name
    written instead of the maternal surname: no maternal surname to compare ("")."""
    words = folded.split(" ") if folded else []
    if len(words) == 2 and words[0] == "DE" and words[1] not in SURNAME_PARTICLES:
        return ""
    return surname_core(folded)


# Particles inside given names: "María del Carmen", "María de los Ángeles".
_GIVEN_PARTICLES = frozenset({"DE", "DEL", "LA", "LAS", "LOS", "Y"})


def second_given_name(rest: str) -> str:
    """The first word of the folded given names after the first that is no particle."""
    return next((word for word in rest.split(" ") if word and word not in _GIVEN_PARTICLES), "")
