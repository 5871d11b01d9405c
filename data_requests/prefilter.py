"""A first pass in the database: which stored rows could name the person at all.

Folding every stored roster row in Python (accents, case) to look for one person cost about
a millisecond a row; a regular expression over the stored text lets the database skip the
rows that cannot name them. It lets through a superset of what `traces.PersonTraces.names_them` and
`row_is_theirs` accept (an identifier, or a given name, a paternal surname and, when known,
a maternal surname anywhere in the text), so those exact checks run on the rows it lets
through only.

The patterns are valid for Python's `re` (SQLite's REGEXP, which Django provides) and for
PostgreSQL's regular expressions, and are used case-insensitively (`iregex`); they are kept
simple (no look-ahead, one per name part) because a look-ahead over every row cost
PostgreSQL several times more. Stored JSON
keeps accented letters as themselves (PostgreSQL) or as `\\uXXXX` escapes (SQLite), so every
letter that may carry an accent also matches any non-ASCII character or such an escape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db.models import Model, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Coalesce, Concat

from data_requests.traces import PersonTraces

M = TypeVar("M", bound=Model)

# Letters that Spanish names write with an accent, a tilde or a diaeresis.
_ACCENTABLE = frozenset("AEIOUNCY")
_NON_ASCII = r"(?:[^ -~]|\\u[0-9a-f]{4})"
# What people type between the digits of a DNI or a phone: "956 123 456", "43.218.765".
_DIGIT_GAP = '[^0-9"]{0,2}'


@dataclass(frozen=True)
class Mentions:
    """Simple patterns, cheap for either engine: a text may name the person when it matches
    `identifiers`, or every one of `names` (a given name, a paternal surname and, when
    known, a maternal surname)."""

    identifiers: str | None
    names: tuple[str, ...]

    def q(self, field: str) -> Q:
        query = Q(**{f"{field}__iregex": self.identifiers}) if self.identifiers else Q()
        if self.names:
            every = Q()
            for pattern in self.names:
                every &= Q(**{f"{field}__iregex": pattern})
            query = query | every if self.identifiers else every
        return query

    def search(self, text: str) -> bool:
        """The same test in Python."""
        if self.identifiers and re.search(self.identifiers, text, re.IGNORECASE):
            return True
        return bool(self.names) and all(
            re.search(pattern, text, re.IGNORECASE) for pattern in self.names
        )


def mention_patterns(traces: PersonTraces) -> Mentions | None:
    """The patterns, or None when nothing could name the person (no identifier, no name)."""
    ids = [_identifier(secret) for secret in traces.identifiers]
    names: tuple[str, ...] = ()
    if traces.given and traces.paternal:
        parts = [traces.given, traces.paternal, *([traces.maternal] if traces.maternal else [])]
        names = tuple("|".join(word_pattern(w) for w in sorted(words)) for words in parts)
    if not ids and not names:
        return None
    return Mentions(identifiers="|".join(ids) or None, names=names)


def filter_mentions(queryset: QuerySet[M], mentions: Mentions, *fields: str) -> QuerySet[M]:
    """The rows of `queryset` whose text in any of `fields` (text or JSON columns, read as
    one text so that the database matches once a row) may name the person."""
    texts: list[Any] = []
    for field in fields:
        text = Coalesce(Cast(field, TextField()), Value("", output_field=TextField()))
        texts += [text, Value(" ", output_field=TextField())]
    annotated = queryset.annotate(mention_text=Concat(*texts, output_field=TextField()))
    # No ordering: the default one would join the batch to every row scanned. The rows are
    # still `queryset`'s model: the stubs' plugin loses it when annotating a generic model.
    return cast("QuerySet[M]", annotated.filter(mentions.q("mention_text")).order_by())


def _identifier(secret: str) -> str:
    if secret.isdigit():
        return _DIGIT_GAP.join(secret)
    return re.escape(secret)


def word_pattern(word: str) -> str:
    """A folded word against stored text, in any accent and case (and SQLite's JSON escapes)."""
    return "".join(
        f"(?:{letter}|{_NON_ASCII})" if letter in _ACCENTABLE else re.escape(letter)
        for letter in word
    )
