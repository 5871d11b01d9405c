"""A DNI cell as people type it, reduced to the number the registry compares.

Rosters carry the same DNI as "41234567", " 41234567 ", "41.234.567", "41 234 567",
"DNI 41234567", "D.N.I. N° 41234567" and "41234567-8" (the check character printed after the
number on the card, copied along). Each is the DNI 41234567. The check character is verified
with python-stdnum's rule for Peru's CUI (`stdnum.pe.cui`): one that does not correspond to
the number says the number itself may hold a typo, which the caller reports.

Pure Python, no Django: the import, the forms and the linkage engine share this one rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.pe import cui

# Words people write before the number: "DNI", "D.N.I.", "N°", "Nº", "Nro.", "No", "#", ":".
_PREFIX = re.compile(r"^(?:D\.?\s*N\.?\s*I\.?|N\s*[°º.]|NRO\.?|NUM\.?|NO\.?|#|:|\s)+", re.I)
# Thousands separators and spaces inside the number: "41.234.567", "41 234 567", "41,234,567".
_INNER = re.compile(r"(?<=\d)[.,\s'](?=\d)")
# Eight digits, a separator, then one check character (a digit, or a letter A-K).
_WITH_CHECK = re.compile(r"^(\d{8})\s*[-/]\s*([0-9A-K])$", re.I)
# Eight digits and a ninth that is the number's own check digit, without a separator.
_NINE = re.compile(r"^(\d{8})([0-9])$")


@dataclass(frozen=True)
class CleanDni:
    text: str  # what is left to validate: usually only digits
    cleaned: tuple[str, ...] = ()  # what was removed, in order: "prefix", "separators", "check"
    check_mismatch: bool = False  # a check character that does not belong to the number


def clean_dni_text(value: str) -> CleanDni:
    """Strip what people type around and inside a DNI; validate nothing else."""
    text = value.strip()
    if text.isdigit() and len(text) != 9:
        return CleanDni(text)
    cleaned: list[str] = []
    stripped = _PREFIX.sub("", text).strip()
    if stripped != text and stripped:
        cleaned.append("prefix")
        text = stripped
    joined = _INNER.sub("", text)
    if joined != text:
        cleaned.append("separators")
        text = joined
    with_check = _WITH_CHECK.match(text)
    if with_check:
        number, check = with_check.group(1), with_check.group(2).upper()
        cleaned.append("check")
        return CleanDni(number, tuple(cleaned), check not in cui.calc_check_digits(number))
    nine = _NINE.match(text)
    if nine and nine.group(2) in cui.calc_check_digits(nine.group(1)):
        # Nine digits could be another document; only the number's own check digit makes
        # the ninth one a copied check digit rather than part of the number.
        return CleanDni(nine.group(1), (*cleaned, "check"))
    # Remaining hyphens ("4567-8912") are separators too.
    if re.fullmatch(r"[\d\s.\-]+", text):
        digits = re.sub(r"[\s.\-]", "", text)
        if digits != text:
            cleaned.append("separators")
        text = digits
    return CleanDni(text, tuple(cleaned))
