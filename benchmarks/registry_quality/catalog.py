"""What partner rosters are made of: institutions (with their e-mail domains and shared
inboxes), the roles they write, regions and the courses of the reference data.

Labels are written the way partners write them; every institution, role and region below is
one the reference vocabularies (fixtures/reference) know through a name or an alias, so the
import resolves them, but the spellings vary from roster to roster.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Institution:
    key: str
    labels: tuple[str, ...]  # as rosters write it
    domain: str  # institutional e-mail domain, "" when staff use personal addresses
    roles: tuple[str, ...]
    inbox: str  # shared office inbox pattern ("{region}" slug), "" for none
    weight: float


INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "PNP",
        ("PNP", "Policía Nacional del Perú", "PNP DIRCTPTIM", "Comisaría", "Policía"),
        "policia.gob.pe",
        ("Suboficial PNP", "Sub Oficial", "Capitán PNP", "Mayor PNP", "Investigador PNP"),
        "comisaria.{region}@policia.gob.pe",
        0.22,
    ),
    Institution(
        "MP",
        ("Ministerio Público", "Fiscalía", "MPFN", "Fiscalía Provincial", "FISTRAP"),
        "mpfn.gob.pe",
        ("Fiscal Provincial", "Fiscal Adjunto", "Fiscal Adjunta", "Asistente en Función Fiscal"),
        "",
        0.16,
    ),
    Institution(
        "PJ",
        ("Poder Judicial", "Corte Superior de Justicia", "CSJ", "Juzgado"),
        "pj.gob.pe",
        ("Juez", "Jueza", "Especialista Judicial", "Secretario Judicial", "Asistente Judicial"),
        "",
        0.08,
    ),
    Institution(
        "CEM",
        ("CEM", "Centro Emergencia Mujer", "Programa Aurora", "CEM - MIMP"),
        "mimp.gob.pe",
        ("Psicóloga", "Psicólogo", "Trabajadora Social", "Abogada", "Abogado", "Promotora"),
        "cem.{region}@mimp.gob.pe",
        0.12,
    ),
    Institution(
        "MIMP",
        ("MIMP", "Ministerio de la Mujer", "UPE", "Unidad de Protección Especial"),
        "mimp.gob.pe",
        ("Psicóloga", "Trabajadora Social", "Abogada", "Coordinadora", "Asistente Social"),
        "upe.{region}@mimp.gob.pe",
        0.06,
    ),
    Institution(
        "MINSA",
        ("MINSA", "Ministerio de Salud", "Centro de Salud", "Hospital", "DIRESA"),
        "minsa.gob.pe",
        ("Enfermera", "Obstetra", "Médico", "Técnica en Enfermería", "Psicóloga"),
        "",
        0.08,
    ),
    Institution(
        "DEMUNA",
        ("DEMUNA", "Demuna", "Municipalidad Provincial", "Municipalidad Distrital"),
        "",
        ("Promotora", "Abogada", "Psicóloga", "Coordinador", "Asistente Administrativo"),
        "demuna.{region}@gmail.com",
        0.06,
    ),
    Institution(
        "DEFENSA",
        ("Defensa Pública", "MINJUSDH", "Ministerio de Justicia", "ALEGRA"),
        "minjus.gob.pe",
        ("Defensor Público", "Defensora Pública", "Abogado", "Abogada"),
        "",
        0.05,
    ),
    Institution(
        "IML",
        ("Medicina Legal", "IML", "Instituto de Medicina Legal", "División Médico Legal"),
        "mpfn.gob.pe",
        ("Médico Legista", "Perito Psicólogo", "Psicóloga Forense", "Médico Forense"),
        "",
        0.04,
    ),
    Institution(
        "SUNAFIL",
        ("SUNAFIL", "Sunafil", "Intendencia Regional SUNAFIL"),
        "sunafil.gob.pe",
        ("Inspector de Trabajo", "Inspectora de Trabajo", "Inspector Auxiliar"),
        "",
        0.04,
    ),
    Institution(
        "MIGRACIONES",
        ("Migraciones", "SNM", "Superintendencia Nacional de Migraciones"),
        "migraciones.gob.pe",
        ("Inspector de Migraciones", "Agente de Migraciones", "Inspectora de Migraciones"),
        "",
        0.03,
    ),
    Institution(
        "UGEL",
        ("UGEL", "Institución Educativa", "Ministerio de Educación", "IE"),
        "",
        ("Docente", "Profesora", "Profesor", "Auxiliar de Educación"),
        "",
        0.04,
    ),
    Institution(
        "CAR",
        ("CAR", "CARE", "Centro de Acogida Residencial", "INABIF"),
        "inabif.gob.pe",
        ("Educadora", "Tutora", "Directora de CAR", "Psicóloga"),
        "car.{region}@inabif.gob.pe",
        0.02,
    ),
)

# Region (name in the reference data) -> weight and the other ways rosters write it.
REGIONS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("Lima Metropolitana", 0.20, ("Lima Metropolitana", "LIMA METROPOLITANA", "Lima Metro")),
    ("Cusco", 0.09, ("Cusco", "CUSCO", "Cuzco")),
    ("Puno", 0.08, ("Puno", "PUNO", "Juliaca")),
    ("Loreto", 0.06, ("Loreto", "LORETO", "Iquitos")),
    ("Madre de Dios", 0.05, ("Madre de Dios", "MADRE DE DIOS", "MDD")),
    ("Arequipa", 0.06, ("Arequipa", "AREQUIPA")),
    ("Piura", 0.05, ("Piura", "PIURA")),
    ("La Libertad", 0.05, ("La Libertad", "LA LIBERTAD", "Trujillo")),
    ("Junín", 0.05, ("Junín", "JUNIN", "Huancayo")),
    ("Tumbes", 0.04, ("Tumbes", "TUMBES")),
    ("Ayacucho", 0.04, ("Ayacucho", "AYACUCHO", "Huamanga")),
    ("San Martín", 0.04, ("San Martín", "SAN MARTIN", "Tarapoto")),
    ("Ucayali", 0.04, ("Ucayali", "UCAYALI", "Pucallpa")),
    ("Callao", 0.03, ("Callao", "CALLAO")),
    ("Tacna", 0.03, ("Tacna", "TACNA")),
    ("Lambayeque", 0.03, ("Lambayeque", "LAMBAYEQUE", "Chiclayo")),
    ("Apurímac", 0.03, ("Apurímac", "APURIMAC", "Abancay")),
    ("Huánuco", 0.03, ("Huánuco", "HUANUCO")),
)

# Courses of fixtures/reference/courses.json (an import names an existing course).
COURSES: tuple[str, ...] = (
    "Investigación y persecución del delito de trata de personas",
    "Técnicas especiales de investigación en trata de personas",
    "Juzgamiento de casos de trata con enfoque de derechos humanos",
    "Defensa pública y acceso a la justicia de víctimas de trata",
    "Pericias forenses en víctimas de trata y explotación",
    "Atención integral y protección de víctimas de trata",
    "Gestión de centros de acogida residencial especializados (CARE)",
    "Asistencia consular a víctimas de trata en el exterior",
    "Identificación y derivación de víctimas en establecimientos de salud",
    "Prevención de la trata de personas en la escuela",
    "Trabajo forzoso y trata con fines de explotación laboral",
    "Diplomado en trata de personas y tráfico ilícito de migrantes",
)

PERSONAL_DOMAINS: tuple[tuple[str, float], ...] = (
    ("gmail.com", 0.55),
    ("hotmail.com", 0.25),
    ("yahoo.es", 0.08),
    ("outlook.com", 0.08),
    ("hotmail.es", 0.04),
)

# What people type when they have no address or will not give it.
MADE_UP_EMAILS: tuple[str, ...] = (
    "sincorreo@gmail.com",
    "notiene@gmail.com",
    "correo@correo.com",
    "ninguno@hotmail.com",
    "no tiene",
    "-",
)

PLACEHOLDER_DNIS: tuple[str, ...] = ("12345678", "00000000", "11111111")
