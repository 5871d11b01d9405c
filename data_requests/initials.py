"""Mentions of a cancelled person by initial and surname ("Fiscalía - E. Quilcaruná").

Rosters name a contact or a predecessor this way in other people's cells (institution,
role, comments), and file names carry it too. Such a mention is not identifying evidence by
itself (`traces.PersonTraces.names_them` needs a complete name): many people share a surname
and an initial. It is taken to be hers only when
- it is the initial of her first given name, a dot or a space (and perhaps a second
  initial), and one of her paternal surnames, or that surname, a comma or a space and the
  initial with its dot ("E. Quilcaruná", "E.Quilcaruná", "E. R. Quilcaruná", "Quilcaruná,
  E."; accents and case aside), and
- no other person of the registry (active, or merged into an active one) has that surname,
  paternal or maternal, and a given name with that initial: otherwise the mention may be
  theirs and is left alone (the cancellation says how many such mentions it left).
Limits: a namesake who is not in the registry (a manager who never trained) loses the
mention; a mention by surname only ("Sra. Quilcaruná"), by maternal surname, or with a
typo is not found. Only the mention goes: the rest of the text stays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from participants.names import fold

# Letters that Spanish names write with an accent, a tilde or a diaeresis.
_ACCENTABLE = frozenset("AEIOUNCY")
# Separators left dangling once a mention is cut out of a free-text value.
_DANGLING = " \t-\u2013\u2014,;:/|.()"  # hyphen, en and em dashes


@dataclass(frozen=True)
class InitialMentions:
    """The person's initial-and-surname mentions, as one pattern over stored text."""

    pattern: re.Pattern[str] | None

    def found_in(self, value: object) -> bool:
        return bool(self.pattern and isinstance(value, str) and self.pattern.search(value))

    def replace(self, value: str, by: str) -> str:
        """The text with each mention replaced by `by` (a raw cell keeps its shape)."""
        if not self.pattern:
            return value
        return self.pattern.sub(by, value)

    def cut(self, value: str) -> str:
        """The text without its mentions or the separators they leave ("Fiscalía - E.
        Quilcaruná" -> "Fiscalía"): for free text the reports group by."""
        if not self.pattern:
            return value
        return re.sub(r"\s{2,}", " ", self.pattern.sub(" ", value)).strip(_DANGLING)


def initial_mentions(
    *, given: Iterable[str], surnames: Iterable[str], namesakes: Iterable[tuple[str, str]]
) -> tuple[InitialMentions, int]:
    """The mentions to look for, and how many initial-surname pairs were left out because
    a namesake shares them. `given` and `surnames` are her folded first given names and
    paternal surnames; `namesakes` are (given names, surnames) of other persons who share
    one of those surnames."""
    pairs = {(name[0], surname) for name in given if name for surname in surnames if surname}
    taken = {
        (word[0], surname)
        for names, other_surnames in namesakes
        for word in fold(names).split(" ")
        if word
        for surname in fold(other_surnames).split(" ")
    }
    kept = sorted(pairs - taken)
    if not kept:
        return InitialMentions(None), len(pairs)
    alternatives = []
    for initial, surname in kept:
        name = _letters(surname)
        alternatives += [
            # "E. Quilcaruná", "E.Quilcaruná", "E Quilcaruná", "E. R. Quilcaruná"; never
            # "EQuilcaruná", which may be a word.
            rf"{initial}(?:\.\s*|\s+)(?:[^\W\d_]\.\s*)?{name}",
            rf"{name},?\s+{initial}\.",
        ]
    pattern = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)})(?![^\W\d_])", re.IGNORECASE)
    return InitialMentions(pattern), len(pairs) - len(kept)


def _letters(folded: str) -> str:
    # A folded surname against stored text: an accentable letter also matches its accented
    # forms; a space or hyphen inside a compound surname matches either.
    parts = []
    for letter in folded:
        if letter == " ":
            parts.append(r"[\s-]+")
        elif letter in _ACCENTABLE:
            parts.append(f"(?:{letter}|[^\\x00-\\x7f])")
        else:
            parts.append(re.escape(letter))
    return "".join(parts)
