"""Free text in aggregate reports, with whatever could identify a person masked.

Partners sometimes type more than an institution into its cell: "DNI 41999999 Quispe Ccori
Juana". Such a spelling reaches the dashboard's unmapped-spellings table and the downloads,
which analysts read; an aggregate report must not carry it. Masked are e-mail addresses,
phone-like numbers, every run of four or more digits and every word that is not part of the
registry's vocabulary (the names, acronyms and aliases of regions, institutions and roles)
or of a short list of common words. What is left still says what kind of value it was
("DNI [dato]", "Fiscalía [dato]"), which is enough to map an institution's spelling; the
exact spelling is in the admin, for administrators.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from participants.models import Institution, InstitutionAlias, Region, RegionAlias, Role, RoleAlias
from participants.names import fold

MASK = "[dato]"
# Words that describe where someone works or what they typed, never who they are.
COMMON_WORDS = frozenset(
    """
    A AL ANTE CON DE DEL E EL EN LA LAS LO LOS O PARA POR SIN SU SUS U Y
    DNI CE RUC CEL CELULAR TELF TELEFONO CORREO EMAIL MAIL NRO NUM NUMERO COD CODIGO
    OFICINA SEDE AREA UNIDAD DIVISION DEPARTAMENTO DIRECCION SUBDIRECCION GERENCIA
    SUBGERENCIA SECCION JEFATURA COORDINACION PROGRAMA PROYECTO SERVICIO SERVICIOS
    CENTRO CENTROS MODULO PUESTO COMISARIA COMANDANCIA REGION REGIONAL PROVINCIA PROVINCIAL
    DISTRITO DISTRITAL MUNICIPAL MUNICIPALIDAD GOBIERNO MINISTERIO NACIONAL LOCAL
    FISCALIA FISCALIAS FISCAL JUZGADO JUZGADOS CORTE SALA PENAL CIVIL FAMILIA MIXTO MIXTA
    ESPECIALIZADA ESPECIALIZADO SUPERIOR SUPREMA PROVINCIALES TRATA PERSONAS DELITOS
    HOSPITAL POSTA SALUD COLEGIO ESCUELA INSTITUTO UNIVERSIDAD POLICIA POLICIAL
    OTRO OTRA OTROS NINGUNO NINGUNA SIN DATO NO SI NA
    RED MICRORRED NORTE SUR ESTE OESTE CENTRO CENTRAL GENERAL SECTORIAL SECTOR ZONA ZONAL
    ALTO ALTA BAJO BAJA NUEVO NUEVA SAN SANTA PUERTO CIUDAD PUEBLO COMUNIDAD ANEXO
    ATENCION PRIMARIA INTEGRAL INTEGRADO ESTRATEGIA SANITARIA MATERNO INFANTIL
    MUJER MUJERES NINO NINA NINOS NINAS ADOLESCENTE ADOLESCENTES FAMILIAR FAMILIAS
    DEFENSORIA DEFENSA PUBLICA PUBLICO JUSTICIA DERECHOS HUMANOS PROTECCION SOCIAL
    DESARROLLO INCLUSION POBLACIONES VULNERABLES ALBERGUE CASA HOGAR REFUGIO ACOGIDA
    RESIDENCIAL TEMPORAL EMERGENCIA VIOLENCIA CONTRA INVESTIGACION CRIMINAL CRIMINALISTICA
    MEDICINA LEGAL FORENSE INSTITUCION EDUCATIVA EDUCACION BASICA ESPECIAL INICIAL
    SECUNDARIA TRABAJO EMPLEO INSPECCION MIGRACIONES FRONTERA ADUANA TRANSPORTE
    ADMINISTRACION ADMINISTRATIVO ADMINISTRATIVA TECNICO TECNICA APOYO ASISTENTE
    JEFE JEFA DIRECTOR DIRECTORA COORDINADOR COORDINADORA ESPECIALISTA ANALISTA
    I II III IV V VI VII VIII IX X XI XII
    """.split()
)
# An e-mail address; a number with its separators (a phone, a DNI, a date); or a word.
_TOKEN = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<number>\+?\d(?:[\d\s().\-/]*\d)?)"
    r"|(?P<word>[^\W\d_]+)"
)
_MASKS = re.compile(re.escape(MASK) + r"(?:[\s,.;:/-]*" + re.escape(MASK) + r")+")
PHONE_DIGITS = 6
DIGIT_RUN = 4


def known_words() -> frozenset[str]:
    """The folded words of every vocabulary entry and alias, plus the common words."""
    texts: list[str] = []
    for model, fields in (
        (Region, ("name",)),
        (Institution, ("acronym", "name")),
        (Role, ("name",)),
        (RegionAlias, ("key",)),
        (InstitutionAlias, ("key",)),
        (RoleAlias, ("key",)),
    ):
        for values in model.objects.values_list(*fields):
            texts.extend(values)
    words = {word for text in texts for word in fold(text).split()}
    return frozenset(words | COMMON_WORDS)


def _masked_number(text: str) -> bool:
    digits = sum(character.isdigit() for character in text)
    longest = max(len(run) for run in re.findall(r"\d+", text))
    return digits >= PHONE_DIGITS or longest >= DIGIT_RUN


def free_text_mask(text: str, *, words: frozenset[str]) -> str:
    """`text` with e-mails, phone-like numbers, 4+ digit runs and unknown words masked.

    `words` is `known_words()`, read once per report rather than once per cell.
    """
    if not text:
        return text

    def replace(match: re.Match[str]) -> str:
        if match.group("email"):
            return MASK
        if match.group("number"):
            return MASK if _masked_number(match.group("number")) else match.group("number")
        folded = fold(match.group("word")).replace(" ", "")
        # One or two letters (an initial, "X", "N°") say nothing about who someone is.
        if len(folded) <= 2 or folded in words:
            return match.group("word")
        return MASK

    return _MASKS.sub(MASK, _TOKEN.sub(replace, text))


def spellings_masked(
    rows: Iterable[dict[str, Any]], *, key: str = "spelling"
) -> list[dict[str, Any]]:
    """Report rows (unmapped spellings) with their free text masked; rows that become the
    same text stay separate lines, so the counts still add up."""
    rows = list(rows)
    if not rows:
        return rows
    words = known_words()
    return [{**row, key: free_text_mask(str(row[key]), words=words)} for row in rows]
