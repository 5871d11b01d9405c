"""Identity documents: Peru's DNI and the other documents officials present.

A DNI has exactly eight digits and is stored as text: "04567123" is a valid DNI whose leading
zero Excel drops when a roster column is typed as a number. Fillers such as "12345678" are
not DNIs (see `participants.linkage.placeholders`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.linkage.dni import clean_dni_text
from participants.linkage.placeholders import is_placeholder_dni

DNI_LENGTH = 8
_DIGITS = re.compile(r"^\d+$")
_EXCEL_FLOAT = re.compile(r"^(\d+)\.0+$")
# What each kind of cleaning is called in the note the import keeps for the row.
_CLEANED = {
    "prefix": "sin el texto antes del número",
    "separators": "sin puntos, guiones ni espacios",
    "check": "sin el dígito de verificación",
}


class DocumentType(models.TextChoices):
    DNI = "dni", _("DNI")
    FOREIGN_ID = "ce", _("Foreign resident card (CE)")
    PASSPORT = "passport", _("Passport")


@dataclass(frozen=True)
class DniResult:
    value: str  # eight digits, or "" when the input is not a usable DNI
    problem: str  # "" when valid; otherwise a Spanish sentence for the import report
    restored_zero: bool = False
    placeholder: bool = False  # a filler such as "12345678": say so rather than "not 8 digits"
    note: str = ""  # what was cleaned ("41234567-8" -> "41234567"), in Spanish; "" if nothing


def normalise_dni(raw: object) -> DniResult:
    """Clean a DNI cell: text or Excel number, with or without separators."""
    if raw is None:
        return DniResult("", "")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    if not text:
        return DniResult("", "")
    float_match = _EXCEL_FLOAT.match(text)
    if float_match:
        text = float_match.group(1)
    clean = clean_dni_text(text)
    text = clean.text
    if not _DIGITS.match(text):
        return DniResult("", f"DNI '{raw}' tiene caracteres que no son dígitos")
    if is_placeholder_dni(text):
        # Kept, a filler would link everyone who was given it into one person.
        return DniResult(
            "", f"DNI '{raw}' es un número de relleno, no un DNI: no se usa", placeholder=True
        )
    note = _note(raw, text, clean.cleaned, clean.check_mismatch)
    if len(text) == DNI_LENGTH:
        return DniResult(text, "", note=note)
    if len(text) == DNI_LENGTH - 1:
        # Excel stored the DNI as a number and dropped its leading zero.
        return DniResult(text.zfill(DNI_LENGTH), "", restored_zero=True, note=note)
    return DniResult("", f"DNI '{raw}' tiene {len(text)} dígitos, un DNI tiene {DNI_LENGTH}")


def _note(raw: object, number: str, cleaned: tuple[str, ...], check_mismatch: bool) -> str:
    """ "DNI '41234567-8' leído como 41234567 (sin el dígito de verificación)"."""
    if not cleaned:
        return ""
    how = ", ".join(_CLEANED[step] for step in cleaned)
    note = f"DNI '{str(raw).strip()}' leído como {number.zfill(DNI_LENGTH)} ({how})"
    if check_mismatch:
        note += ": el dígito de verificación no corresponde a este número, revise el DNI"
    return note


def validate_document(document_type: str, number: str) -> None:
    if not number:
        return
    if document_type == DocumentType.DNI and not (len(number) == DNI_LENGTH and number.isdigit()):
        raise ValidationError({"document_number": _("A DNI has exactly 8 digits.")})
    if document_type == DocumentType.DNI and is_placeholder_dni(number):
        # Written in Spanish: the project has no message catalogue yet and users read it.
        error = ValidationError(
            _("%(number)s es un número de relleno, no un DNI: escriba el DNI real o déjelo vacío."),
            code="placeholder_dni",
            params={"number": number},
        )
        raise ValidationError({"document_number": error})
    if document_type != DocumentType.DNI and not re.fullmatch(r"[A-Z0-9]{5,15}", number):
        raise ValidationError(
            {"document_number": _("Use 5 to 15 capital letters or digits, without spaces.")}
        )
