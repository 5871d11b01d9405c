"""What identifies one person, for finding their data where it is not linked to them.

The person's own rows are redacted with every value they ever had, single name words
included (`secrets`). Rows, cells and log entries that belong to nobody in particular (a row
rejected at import, a comment in another person's row, an admin log line) cannot be treated
that way: a single surname such as "Quispe" would wipe other people's data. There only
identifying evidence counts:
- an identifier: a document number, an e-mail address or a phone number they ever had;
- a complete name: a given name, a paternal surname and, when any of their records knows
  one, a maternal surname they ever had, in any order and spelling the registry folds alike
  (accents, case and punctuation aside, as `participants.names.fold` normalises names).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from data_requests.redaction import (
    MIN_SECRET_LENGTH,
    contains_secret,
    is_personal_header,
    secrets_of,
)
from participants.names import fold


class Described(Protocol):
    """A person or one of their identity records."""

    given_names: str
    paternal_surname: str
    maternal_surname: str
    document_number: str
    email: str
    phone: str
    birth_date: Any


@dataclass(frozen=True)
class PersonTraces:
    # Every value and name word: for the person's own rows.
    secrets: list[str]
    # Document numbers, e-mails and phones (`secrets_of` form): for anyone's rows.
    identifiers: list[str]
    # Folded words of their given names (the first of each), paternal and maternal surnames.
    given: frozenset[str]
    paternal: frozenset[str]
    maternal: frozenset[str]

    def names_them(self, value: Any) -> bool:
        """The text carries one of their identifiers or a complete name of theirs."""
        if value is None or isinstance(value, bool):
            return False
        return contains_secret(value, self.identifiers) or self._has_full_name(_words_of(value))

    def may_name_them(self, value: Any) -> bool:
        """Looser than `names_them` (a given name and a paternal surname suffice): for data
        that is cheap to lose, such as a session, which only makes its user sign in again."""
        if value is None or isinstance(value, bool):
            return False
        words = _words_of(value)
        return contains_secret(value, self.identifiers) or bool(
            words & self.given and words & self.paternal
        )

    def row_is_theirs(self, raw: Mapping[str, Any]) -> bool:
        """A roster row (header -> cell, any layout) describes this person: its name,
        document or contact cells carry one of their identifiers or a complete name of
        theirs. A comment that mentions them does not make another person's row theirs."""
        values = [
            cell
            for header, cell in raw.items()
            if cell not in ("", None) and is_personal_header(str(header))
        ]
        if any(contains_secret(cell, self.identifiers) for cell in values):
            return True
        words: set[str] = set()
        for cell in values:
            words |= _words_of(cell)
        return self._has_full_name(words)

    def _has_full_name(self, words: set[str]) -> bool:
        if not self.given or not self.paternal:
            return False
        return (
            bool(words & self.given)
            and bool(words & self.paternal)
            and (not self.maternal or bool(words & self.maternal))
        )


def traces_of(described: Sequence[Described]) -> PersonTraces:
    """The traces of a person from the person rows and identity records that describe them
    (read before they are blanked)."""
    every: list[str] = []
    identifiers: list[str] = []
    given: set[str] = set()
    paternal: set[str] = set()
    maternal: set[str] = set()
    for item in described:
        birth = item.birth_date
        every += [
            item.given_names,
            item.paternal_surname,
            item.maternal_surname,
            birth.isoformat() if birth else "",
            birth.strftime("%d/%m/%Y") if birth else "",
        ]
        identifiers += [item.document_number, item.email, item.phone]
        given |= _first_words(item.given_names)
        paternal |= _name_words(item.paternal_surname)
        maternal |= _name_words(item.maternal_surname)
    return PersonTraces(
        secrets=secrets_of([*every, *identifiers]),
        identifiers=secrets_of(value for value in identifiers if _is_identifier(value)),
        given=frozenset(given),
        paternal=frozenset(paternal),
        maternal=frozenset(maternal),
    )


def _is_identifier(value: str) -> bool:
    # An identifier is kept whole; its words would be name-like secrets.
    text = str(value or "")
    return "@" in text or bool(re.search(r"\d", text))


def _words_of(value: Any) -> set[str]:
    return set(fold(str(value)).split(" ")) - {""}


def _name_words(value: str) -> set[str]:
    return {word for word in fold(value).split(" ") if len(word) >= MIN_SECRET_LENGTH}


def _first_words(value: str) -> set[str]:
    # "Rosa Elena" is also written "Rosa": the first given name is the one rosters keep.
    words = [word for word in fold(value).split(" ") if word]
    return {words[0]} if words and len(words[0]) >= MIN_SECRET_LENGTH else set()
