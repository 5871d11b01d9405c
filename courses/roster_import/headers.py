"""Roster headers as partners write them, mapped to the canonical fields of a roster row.

Headers are compared in folded form (participants.names.fold: no accents, upper case, letters
only), and again with filler words and spaces removed, so "N° DNI", "Nro. de DNI", "D.N.I."
and "dni" all reach `dni`. A column whose header maps to nothing is not an error: its cells
stay in the row's raw record. In particular "id" maps to nothing, so an `id` column in a file
can never select a database record.
"""

from __future__ import annotations

from functools import lru_cache

from participants.names import fold

# Canonical field -> spellings (any case, accents optional; they are folded below).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "given_names": (
        "Nombres",
        "Nombre",
        "Primer nombre y segundo nombre",
        "First name",
        "First names",
        "Given name",
        "Given names",
        "Forename",
        "Forenames",
    ),
    "paternal_surname": (
        "Apellido paterno",
        "Ap. paterno",
        "Paterno",
        "Primer apellido",
        "Paternal surname",
        "First surname",
        "Father's surname",
    ),
    "maternal_surname": (
        "Apellido materno",
        "Ap. materno",
        "Materno",
        "Segundo apellido",
        "Maternal surname",
        "Second surname",
        "Mother's surname",
    ),
    "surnames": (
        "Apellidos",
        "Apellido",
        "Last name",
        "Last names",
        "Surname",
        "Surnames",
        "Family name",
        "Apellidos paterno y materno",
    ),
    "full_name": (
        "Apellidos y nombres",
        "Apellidos, nombres",
        "Apellidos nombres",
        "Apellidos y nombres completos",
        "Participante",
        "Nombre del participante",
        "Apellidos y nombres del participante",
        "Surname and names",
        "Surnames and names",
    ),
    # Given names first ("Juan Carlos Quispe Mamani"): split from the end instead.
    "full_name_given_first": (
        "Nombres y apellidos",
        "Nombre y apellidos",
        "Nombre y apellido",
        "Nombre completo",
        "Nombres completos",
        "Full name",
        "Name",
        "Participant",
        "Participant name",
    ),
    "dni": (
        "DNI",
        "N° DNI",
        "Nro DNI",
        "Número de DNI",
        "DNI N°",
        "Documento",
        "Documento de identidad",
        "N° de documento",
        "Número de documento",
        "Nro documento",
        "Doc. identidad",
        "ID number",
        "National ID",
        "Identity document",
        "Document number",
        "DNI / CE",
        "DNI o CE",
        "Documento DNI",
    ),
    "document_type": (
        "Tipo de documento",
        "Tipo documento",
        "Tipo doc",
        "Document type",
        "ID type",
    ),
    "sex": ("Sexo", "Género", "Genero", "Gender", "Sex", "Sexo (F/M)", "Sexo / género"),
    "institution": (
        "Institución",
        "Entidad",
        "Organización",
        "Organization",
        "Organisation",
        "Institution",
        "Dependencia",
        "Institución de procedencia",
        "Entidad de procedencia",
        "Institución / entidad",
        "Agency",
        "Employer",
        "Centro de labores",
        "Centro de trabajo",
    ),
    "role": (
        "Cargo",
        "Position",
        "Puesto",
        "Función",
        "Role",
        "Job title",
        "Ocupación",
        "Cargo actual",
        "Cargo / función",
        "Profesión / cargo",
    ),
    "region": (
        "Región",
        "Departamento",
        "Sede",
        "Region",
        "Department",
        "Región / departamento",
        "Sede regional",
        "Distrito fiscal",
    ),
    "email": (
        "Correo",
        "Correo electrónico",
        "Email",
        "E-mail",
        "Mail",
        "Correo institucional",
        "Correo personal",
        "Email address",
    ),
    "phone": (
        "Celular",
        "Teléfono",
        "Telefono",
        "Phone",
        "Móvil",
        "Mobile",
        "Teléfono celular",
        "Número de celular",
        "Cel",
        "Telf",
        "Tlf",
        "Phone number",
        "Whatsapp",
        "Celular / teléfono",
        "Teléfono / celular",
    ),
    "birth_date": (
        "Fecha de nacimiento",
        "Fecha nacimiento",
        "F. nacimiento",
        "Nacimiento",
        "Birth date",
        "Date of birth",
        "Birthdate",
        "DOB",
    ),
    "pre_score": (
        "Pre-test",
        "Pretest",
        "Pre test",
        "Nota entrada",
        "Nota de entrada",
        "evaluacion_inicial",
        "Evaluación inicial",
        "Evaluación de entrada",
        "Prueba de entrada",
        "Nota pre-test",
        "Nota pretest",
        "Pre-test score",
        "Pre score",
        "Entrada",
    ),
    "post_score": (
        "Post-test",
        "Postest",
        "Posttest",
        "Post test",
        "Nota salida",
        "Nota de salida",
        "evaluacion_final",
        "Evaluación final",
        "Evaluación de salida",
        "Prueba de salida",
        "Nota post-test",
        "Nota postest",
        "Post-test score",
        "Post score",
        "Salida",
    ),
}

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
    return next((_LOOKUP[key] for key in _keys(folded) if key in _LOOKUP), None)


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
