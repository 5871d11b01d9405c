"""Removing one person's personal data from the JSON the registry keeps about roster rows.

A roster row is kept verbatim (`SourceRecord.raw`, header -> cell), in any partner's layout,
so there is no fixed list of columns to blank. A cell is redacted when either
- its header reads like a personal-data column (names, document, contact, birth date), or
- its value contains one of the person's own values (a surname, the DNI, the e-mail, ...),
which also catches a DNI typed in a "Observaciones" column or a name inside a problem message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from participants.names import fold

REDACTED = "[CANCELADO]"

# Folded fragments of headers that hold personal data (Spanish and English rosters).
_PERSONAL_HEADER_WORDS = (
    "NOMBRE",
    "APELLIDO",
    "PATERNO",
    "MATERNO",
    "PARTICIPANTE",
    "DNI",
    "DOCUMENTO",
    "D N I",
    "CARNET",
    "PASAPORTE",
    "CORREO",
    "EMAIL",
    "E MAIL",
    "MAIL",
    "TELEFONO",
    "CELULAR",
    "MOVIL",
    "WHATSAPP",
    "PHONE",
    "NACIMIENTO",
    "BIRTH",
    "NAME",
    "SURNAME",
    "FIRMA",
    "SIGNATURE",
    "DIRECCION",
    "DOMICILIO",
    "ADDRESS",
)
# Person fields that hold personal data, as they appear as keys in stored JSON (merge
# snapshots use the model's attribute names).
PERSONAL_KEYS = frozenset(
    {
        "given_names",
        "paternal_surname",
        "maternal_surname",
        "document_number",
        "birth_date",
        "email",
        "phone",
        "paternal_key",
        "maternal_key",
        "given_key",
    }
)
# Shorter values (an initial, a two-letter surname) would redact unrelated cells.
MIN_SECRET_LENGTH = 3
# A digit string shorter than this (a score, a day) is not an identifier.
_MIN_DIGITS = 6
# A Peruvian mobile number without its country code.
_PHONE_DIGITS = 9


def is_personal_header(header: str) -> bool:
    folded = fold(header)
    return any(word in folded for word in _PERSONAL_HEADER_WORDS)


def secrets_of(values: Iterable[str]) -> list[str]:
    """What to look for: folded names and each of their words, digit strings (DNI, phone,
    dates) and e-mail addresses, kept whole."""
    found: set[str] = set()
    for value in values:
        text = str(value or "").strip()
        if "@" in text:
            found.add(text.lower())
            continue
        digits = re.sub(r"\D", "", text)
        if len(digits) >= _MIN_DIGITS:
            found.add(digits)
            # Excel drops a DNI's leading zero: "01234567" arrives as 1234567.
            if len(digits.lstrip("0")) >= _MIN_DIGITS:
                found.add(digits.lstrip("0"))
            # A phone kept with its country code ("+51 956...") is typed without it.
            if len(digits) > _PHONE_DIGITS:
                found.add(digits[-_PHONE_DIGITS:])
        folded = fold(text)
        if len(folded) >= MIN_SECRET_LENGTH:
            found.add(folded)
        for word in folded.split(" "):
            if len(word) >= MIN_SECRET_LENGTH:
                found.add(word)
    return sorted(found, key=len, reverse=True)


def contains_secret(value: Any, secrets: list[str]) -> bool:
    if value is None or isinstance(value, bool):
        return False
    raw = str(value)
    text = fold(raw)
    words = set(text.split(" "))
    digits = re.sub(r"\D", "", raw)
    lowered = raw.lower()
    for secret in secrets:
        if "@" in secret:
            if secret in lowered:
                return True
        elif secret.isdigit():
            if secret in digits:
                return True
        elif (" " in secret and secret in text) or secret in words:
            return True
    return False


def redact_row(raw: dict[str, Any], secrets: list[str]) -> dict[str, Any]:
    """A roster row with the person's cells replaced; other cells (institution, role,
    scores...) stay, so the row still explains the enrollment it produced."""
    return {
        header: REDACTED
        if (
            cell not in ("", None)
            and (is_personal_header(header) or contains_secret(cell, secrets))
        )
        else cell
        for header, cell in raw.items()
    }


def redact_json(value: Any, secrets: list[str]) -> Any:
    """Any stored JSON: values under personal keys and strings holding a secret go."""
    if isinstance(value, dict):
        return {
            key: (_blank_like(item) if key in PERSONAL_KEYS else redact_json(item, secrets))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact_json(item, secrets) for item in value]
    if isinstance(value, str) and contains_secret(value, secrets):
        return REDACTED
    return value


def redact_json_where(value: Any, is_theirs: Callable[[Any], bool]) -> Any:
    """Any stored JSON that is not the person's own: only strings `is_theirs` accepts go
    (other people's values under the same keys stay)."""
    if isinstance(value, dict):
        return {key: redact_json_where(item, is_theirs) for key, item in value.items()}
    if isinstance(value, list):
        return [redact_json_where(item, is_theirs) for item in value]
    if isinstance(value, str) and is_theirs(value):
        return REDACTED
    return value


def _blank_like(value: Any) -> Any:
    if value in ("", None):
        return value
    if isinstance(value, list):
        return [_blank_like(item) for item in value]
    return REDACTED
