"""Cell values as partners type them -> typed values, each with the problem found, if any.

Every parser returns (value, problem): problem is "" when the value is fine, otherwise a short
Spanish sentence for the import report. A problem never stops a row by itself; the row keeps
its raw cell and the typed value is left empty.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accounts.models import GuardianRelationship
from participants.documents import DNI_LENGTH, DocumentType, normalise_dni
from participants.names import collapse_spaces, fold
from spreadsheets.cells import cell_text

SCALE_VIGESIMAL = Decimal(20)
SCALE_PERCENT = Decimal(100)
ALLOWED_SCALES = (SCALE_VIGESIMAL, SCALE_PERCENT)

# Excel counts days from 1899-12-30 (it treats 1900 as a leap year).
_EXCEL_EPOCH = date(1899, 12, 30)
_EARLIEST_BIRTH = date(1900, 1, 1)


_SEX = {
    "F": "F",
    "FEM": "F",
    "FEMENINO": "F",
    "FEMENINA": "F",
    "MUJER": "F",
    "FEMALE": "F",
    "WOMAN": "F",
    "W": "F",
    "M": "M",
    "MASC": "M",
    "MASCULINO": "M",
    "HOMBRE": "M",
    "VARON": "M",
    "MALE": "M",
    "MAN": "M",
    "H": "M",
    "V": "M",
    "X": "X",
    "OTRO": "X",
    "OTRA": "X",
    "OTHER": "X",
    "NO BINARIO": "X",
}


def parse_sex(value: object) -> tuple[str, str]:
    """'F', 'M', 'X', or 'U' (not recorded) for an empty or unknown cell."""
    key = fold(cell_text(value))
    if not key:
        return "U", ""
    if key in _SEX:
        return _SEX[key], ""
    return "U", f"sexo '{cell_text(value)}' no reconocido (use F/M, Femenino/Masculino)"


# A roster's answer to "may we contact you for follow-up surveys?", folded.
_CONSENT_YES = frozenset(
    {"SI", "S", "X", "1", "TRUE", "VERDADERO", "YES", "Y", "ACEPTA", "ACEPTO", "SI ACEPTA"}
)
_CONSENT_NO = frozenset(
    {"NO", "N", "0", "FALSE", "FALSO", "NO ACEPTA", "NO ACEPTO", "NO AUTORIZA", "RECHAZA"}
)


def parse_contact_consent(value: object) -> tuple[bool | None, str]:
    """True for a grant, False for a refusal, None for a blank cell (nothing stated) or an
    unreadable one (with its problem: nothing is recorded from a guess)."""
    if isinstance(value, bool):
        return value, ""
    text = cell_text(value)
    if not text.strip():
        return None, ""
    # Folding keeps letters only: "1" and "0" are compared as written.
    key = fold(text) or text.strip()
    if key in _CONSENT_YES:
        return True, ""
    if key in _CONSENT_NO:
        return False, ""
    return None, (
        f"consentimiento de contacto '{text}' no reconocido "
        "(use Sí/No, X o 1/0); no se registra ninguna respuesta"
    )


def parse_yes_no(value: object, *, what: str) -> tuple[bool | None, str]:
    """Sí/No as `parse_contact_consent` reads it, for another question (`what`, for the
    problem: "menor de edad", "consentimiento del apoderado")."""
    answer, problem = parse_contact_consent(value)
    if problem:
        return None, f"{what} '{cell_text(value)}' no reconocido (use Sí/No, X o 1/0)"
    return answer, ""


# Ages a training roster can state: the courses take participants from 14 and officials
# until retirement; anything outside is a typo, not an age.
_AGE_RANGE = range(5, 100)


def parse_age(value: object) -> tuple[int | None, str]:
    """Whole years ("13", "13 años", 13.0); None for a blank or unreadable cell."""
    text = collapse_spaces(cell_text(value))
    if not text:
        return None, ""
    match = re.fullmatch(r"(\d{1,3})(?:[.,]0+)?(?: ?a[nñ]os)?", text, flags=re.IGNORECASE)
    if match is None or int(match[1]) not in _AGE_RANGE:
        return None, f"edad '{text}' no válida (escriba los años cumplidos, p. ej. 15)"
    return int(match[1]), ""


# A guardian's relationship to the minor, folded -> GuardianRelationship value.
_RELATIONSHIPS = {
    "MADRE": GuardianRelationship.MOTHER,
    "MAMA": GuardianRelationship.MOTHER,
    "MOTHER": GuardianRelationship.MOTHER,
    "PADRE": GuardianRelationship.FATHER,
    "PAPA": GuardianRelationship.FATHER,
    "FATHER": GuardianRelationship.FATHER,
    "APODERADO": GuardianRelationship.GUARDIAN,
    "APODERADA": GuardianRelationship.GUARDIAN,
    "TUTOR": GuardianRelationship.GUARDIAN,
    "TUTORA": GuardianRelationship.GUARDIAN,
    "TUTOR LEGAL": GuardianRelationship.GUARDIAN,
    "REPRESENTANTE LEGAL": GuardianRelationship.GUARDIAN,
    "GUARDIAN": GuardianRelationship.GUARDIAN,
    "LEGAL GUARDIAN": GuardianRelationship.GUARDIAN,
    "OTRO": GuardianRelationship.OTHER,
    "OTRA": GuardianRelationship.OTHER,
    "OTHER": GuardianRelationship.OTHER,
}


def parse_relationship(value: object) -> tuple[str, str]:
    """A GuardianRelationship value, "" for a blank cell; a relative the list does not name
    (abuela, tía, hermano mayor) is GuardianRelationship.OTHER, noted."""
    text = collapse_spaces(cell_text(value))
    if not text:
        return "", ""
    found = _RELATIONSHIPS.get(fold(text))
    if found is not None:
        return found, ""
    return GuardianRelationship.OTHER, f"parentesco '{text}' registrado como «otro»"


def parse_consent_date(value: object, *, today: date | None = None) -> tuple[date | None, str]:
    """A consent's date, read as birth dates are, and not after today."""
    parsed, problem = parse_birth_date(value, today=today)
    if problem:
        return None, (
            f"fecha del consentimiento '{cell_text(value)}' no válida (use dd/mm/aaaa, "
            "sin fechas futuras); se usa la fecha de la importación"
        )
    return parsed, ""


_DOCUMENT_TYPES = {
    "DNI": DocumentType.DNI,
    "CE": DocumentType.FOREIGN_ID,
    "CARNE DE EXTRANJERIA": DocumentType.FOREIGN_ID,
    "CARNET DE EXTRANJERIA": DocumentType.FOREIGN_ID,
    "PASAPORTE": DocumentType.PASSPORT,
    "PASSPORT": DocumentType.PASSPORT,
    "PAS": DocumentType.PASSPORT,
}


# A DNI column that holds another document names it first: "CE 001234567", "C.E. N° 001234567",
# "Carné de extranjería 001234567", "Pasaporte AB123456", "PAS: 123456789".
_TYPE_PREFIX = re.compile(
    r"^(C\.?\s*E\.?|CARN[EÉ]T?\s+DE\s+EXTRANJER[IÍ]A|PASAPORTE|PASSPORT|PAS\.?)"
    r"\s*(?:N\s*[°º.]|NRO\.?|:|-|\s)*\s*(?=[A-Z0-9])",
    re.I,
)


def parse_document(number: object, kind: object = "") -> tuple[str, str, str]:
    """(document_type, number or "", problem). Without a type column the document is a DNI,
    unless the cell names another document before its number ("CE 001234567").

    The problem is also where a cleaned DNI is reported ("DNI '41234567-8' leído como
    41234567 (sin el dígito de verificación)"): the number is kept and the row imports."""
    type_text = fold(cell_text(kind))
    document_type = _DOCUMENT_TYPES.get(type_text, DocumentType.DNI) if type_text else "dni"
    text = cell_text(number)
    prefix = _TYPE_PREFIX.match(text) if document_type == DocumentType.DNI else None
    if prefix:
        # Every spelling the pattern accepts starts with C (carné) or P (pasaporte).
        foreign = fold(prefix.group(1)).startswith("C")
        document_type = DocumentType.FOREIGN_ID if foreign else DocumentType.PASSPORT
        text = text[prefix.end() :]
    if document_type != DocumentType.DNI:
        text = re.sub(r"[\s.\-]", "", text).upper()
        if not text:
            return document_type, "", ""
        if re.fullmatch(r"[A-Z0-9]{5,15}", text):
            return document_type, text, ""
        return DocumentType.DNI, "", f"documento '{cell_text(number)}' no válido"
    raw = number
    if isinstance(raw, str) and re.fullmatch(r"\s*\d+\.0+\s*", raw):
        raw = raw.strip().split(".")[0]
    result = normalise_dni(raw)
    if result.placeholder:
        return DocumentType.DNI, "", result.problem
    if result.problem:
        return (
            DocumentType.DNI,
            "",
            (f"DNI '{cell_text(number)}' no válido: un DNI tiene {DNI_LENGTH} dígitos"),
        )
    return DocumentType.DNI, result.value, result.note


def parse_phone(value: object) -> tuple[str, str]:
    """Peruvian numbers as "+51 987 654 321" (mobile) or "+51 <area><number>" (landline)."""
    text = cell_text(value)
    if not text:
        return "", ""
    foreign = text.startswith("+") and not text.startswith("+51")
    digits = re.sub(r"\D", "", text)
    if foreign:
        if 8 <= len(digits) <= 15:
            return f"+{digits}", ""
        return "", f"teléfono '{text}' no válido"
    if digits.startswith("0051"):
        digits = digits[4:]
    elif digits.startswith("51") and len(digits) == 11:
        digits = digits[2:]
    if len(digits) == 9 and digits.startswith("9"):
        return f"+51 {digits[:3]} {digits[3:6]} {digits[6:]}", ""
    if digits.startswith("0") and 7 <= len(digits) <= 9:
        digits = digits[1:]  # the long-distance prefix: "(01) 4567890" -> "+51 14567890"
    if 6 <= len(digits) <= 8:
        return f"+51 {digits}", ""
    return "", f"teléfono '{text}' no válido (se esperan 9 dígitos de celular)"


# What Microsoft Forms writes as the e-mail of an anonymous response.
_ANONYMOUS = frozenset({"ANONYMOUS", "ANONIMO", "ANONIMA"})


def parse_email(value: object) -> tuple[str, str]:
    text = cell_text(value).strip().lower()
    if not text or fold(text) in _ANONYMOUS:
        return "", ""
    try:
        validate_email(text)
    except ValidationError:
        return "", f"correo '{cell_text(value)}' no válido"
    if len(text) > 254:
        return "", "correo demasiado largo"
    return text, ""


_DATE_PATTERNS = (
    (re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})$"), "dmy"),
    (re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2})$"), "dmy2"),
    (re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$"), "ymd"),
)


def parse_birth_date(value: object, *, today: date | None = None) -> tuple[date | None, str]:
    """Excel dates, Excel serial numbers, dd/mm/yyyy (Peru's order) or yyyy-mm-dd."""
    today = today or date.today()
    if value is None or value == "":
        return None, ""
    parsed: date | None = None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 80000:
            parsed = _EXCEL_EPOCH + timedelta(days=int(value))
    else:
        text = collapse_spaces(str(value)).split(" ")[0]
        for pattern, order in _DATE_PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            first, second, third = (int(group) for group in match.groups())
            try:
                if order == "ymd":
                    parsed = date(first, second, third)
                else:
                    year = third
                    if order == "dmy2":
                        year += 2000 if third <= today.year % 100 else 1900
                    parsed = date(year, second, first)
            except ValueError:
                parsed = None
            break
    if parsed is None:
        return None, f"fecha de nacimiento '{cell_text(value)}' no válida (use dd/mm/aaaa)"
    if not (_EARLIEST_BIRTH <= parsed <= today):
        return None, f"fecha de nacimiento '{cell_text(value)}' fuera de rango"
    return parsed, ""


# How tools write a score beside its maximum: "14 / 20" (the "Puntuación" of a Google Forms
# quiz as Sheets downloads it), "75,00 %" (Moodle's percentage display). Either decimal mark.
_NUMBER = r"([0-9]+(?:[.,][0-9]+)?)"
_FRACTION = re.compile(rf"^{_NUMBER}\s*/\s*{_NUMBER}$")
_PERCENT = re.compile(rf"^{_NUMBER}\s*%$")
# "-" is Moodle's "no grade"; en and em dashes come from word processors.
_NO_SCORE = frozenset({"", "-", "--", "\u2013", "\u2014"})


def parse_score(value: object) -> tuple[Decimal | None, str]:
    """A test score as written ("14", "14,5", 14.5); empty or "-" means not taken."""
    if value is None or isinstance(value, bool):
        return None, ""
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = cell_text(value).replace(" ", "")
        if text in _NO_SCORE:
            return None, ""
        try:
            number = _decimal(text)
        except InvalidOperation:
            return None, f"nota '{cell_text(value)}' no es un número"
    if not number.is_finite() or number < 0:
        return None, f"nota '{cell_text(value)}' no válida"
    return number.quantize(Decimal("0.01")), ""


def parse_score_stated(value: object) -> tuple[Decimal | None, Decimal | None, str]:
    """(score, the maximum the cell states, problem): "14 / 20" is 14 of 20, "75,00 %" is 75
    of 100, a bare "14,5" states no maximum (the test's scale decides it)."""
    text = cell_text(value) if isinstance(value, str) else ""
    if percent := _PERCENT.match(text):
        score, maximum = _decimal(percent[1]), SCALE_PERCENT
    elif fraction := _FRACTION.match(text):
        score, maximum = _decimal(fraction[1]), _decimal(fraction[2])
    else:
        bare, problem = parse_score(value)
        return bare, None, problem
    if maximum <= 0:
        return None, None, f"nota '{text}' no válida: el máximo es 0"
    if score > maximum:
        return None, None, f"nota '{text}' mayor que su máximo"
    return score.quantize(Decimal("0.01")), maximum, ""


def _decimal(text: str) -> Decimal:
    """ "14,5" or "14.5" (a comma alone is the decimal mark, as in es-PE and Moodle "es")."""
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    return Decimal(text)
