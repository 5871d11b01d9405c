"""Roster headers as partners write them, mapped to the canonical fields of a roster row.

Headers are compared in folded form (participants.names.fold: no accents, upper case, letters
only), and again with filler words and spaces removed, so "N° DNI", "Nro. de DNI", "D.N.I."
and "dni" all reach `dni`. A column whose header maps to nothing is not an error: its cells
stay in the row's raw record. In particular "id" maps to nothing, so an `id` column in a file
can never select a database record.

A KoboToolbox export with XML names writes a question inside a group as its path
("datos_personales/dni", the groups joined by "/"): such a header is read by its last part.
Only a lower-case XML path is: "Apellido/Nombre" is a partner's header, read as a whole.
"""

from __future__ import annotations

import re
from functools import lru_cache

from intake.roster_import.headers.aliases import HEADER_ALIASES
from participants.names import fold

__all__ = ["HEADER_ALIASES", "canonical_field", "header_score", "map_headers"]

# A KoboToolbox group path of XML names: "datos_personales/dni", "grupo1/sub/dni".
_XML_PATH = re.compile(r"^[a-z][a-z0-9_.-]*(?:/[a-z][a-z0-9_.-]*)*/(?P<name>[a-z][a-z0-9_.-]*)$")
# Words that partners add around a header without changing its meaning ("N° de DNI").
_FILLER = frozenset({"N", "NO", "NRO", "NUM", "NUMERO", "DE", "DEL", "LA", "EL", "SU"})
# Never a roster field, whatever the spelling: an `id` column must not reach a record.
_NEVER = frozenset({"ID", "PK"})


def _keys(folded: str) -> tuple[str, ...]:
    """The folded header, without spaces ("D N I" -> "DNI"), and without filler words."""
    words = folded.split(" ")
    keys = (folded, "".join(words), "".join(word for word in words if word not in _FILLER))
    return tuple(key for key in keys if key and key not in _NEVER)


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for field, spellings in HEADER_ALIASES.items():
        for spelling in spellings:
            for key in _keys(fold(spelling)):
                if lookup.setdefault(key, field) != field:
                    raise ValueError(f"Header alias '{spelling}' maps to two fields")
    return lookup


_LOOKUP = _build_lookup()


def canonical_field(header: object) -> str | None:
    """The canonical field a header names, or None for a column to keep only in the raw row."""
    if header is None or isinstance(header, bool):
        return None
    return _field_of_text(str(header))


@lru_cache(maxsize=4096)
def _field_of_text(text: str) -> str | None:
    # Cached: header detection asks about the same cells for each candidate delimiter.
    folded = fold(text)
    if not folded:
        return None
    found = next((_LOOKUP[key] for key in _keys(folded) if key in _LOOKUP), None)
    if found is None and (path := _XML_PATH.match(text.strip())):
        return _field_of_text(path["name"])
    return found


def map_headers(headers: list[str]) -> dict[str, list[int]]:
    """Canonical field -> column positions (a field may be written in more than one column)."""
    mapping: dict[str, list[int]] = {}
    for position, header in enumerate(headers):
        field = canonical_field(header)
        if field:
            mapping.setdefault(field, []).append(position)
    return mapping


def header_score(cells: list[object]) -> int:
    """How many distinct canonical fields a row's cells name: >= 2 makes it the header row."""
    return len({field for cell in cells if (field := canonical_field(cell))})
