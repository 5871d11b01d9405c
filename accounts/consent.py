"""The consent text shown at registration, one entry per version.

A wording change gets a new version key and becomes CURRENT_CONSENT_VERSION; old versions
stay here because recorded consents point at them.
"""

from __future__ import annotations

import hashlib

CONSENT_TEXTS: dict[str, str] = {
    "2026-11-v1": (
        "Autorizo el tratamiento de mis datos personales (nombres, documento de identidad, "
        "sexo, datos de contacto, institución, cargo y región, y mis calificaciones) para "
        "registrar mi participación en las actividades de capacitación y elaborar reportes "
        "estadísticos, conforme a la Ley N.° 29733, Ley de Protección de Datos Personales. "
        "Puedo ejercer mis derechos de acceso, rectificación, cancelación y oposición ante "
        "el administrador del registro."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11-v1"


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]


def consent_sha256(version: str = CURRENT_CONSENT_VERSION) -> str:
    return hashlib.sha256(consent_text(version).encode("utf-8")).hexdigest()
