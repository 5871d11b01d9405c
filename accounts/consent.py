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


# Consent to be contacted after the training, for follow-up surveys: its own purpose, its
# own versions, and it can be withdrawn at any time without touching the consent above.
CONTACT_CONSENT_TEXTS: dict[str, str] = {
    "2026-12-v1": (
        "Acepto que el proyecto me contacte después de la capacitación, por correo "
        "electrónico o teléfono, para invitarme a encuestas de seguimiento sobre la aplicación "
        "de lo aprendido y mi puesto actual. Mis respuestas se usarán solo para evaluar la "
        "capacitación y elaborar estadísticas, conforme a la Ley N.° 29733. Puedo retirar "
        "esta aceptación en cualquier momento, y ejercer mis derechos de acceso, "
        "rectificación, cancelación y oposición ante el administrador del registro."
    ),
    # A roster states that the person accepted, not the words they were shown: the
    # partner's form is not the registry's. A roster's grant names this version, so every
    # grant still has one and a reader of the record (the access report, the admin page)
    # learns what is known of it; its hash is of this note, never of words shown.
    "roster-v1": (
        "Aceptación declarada en una columna de la lista de participantes enviada por la "
        "escuela o el socio. La lista no registra el texto que se mostró a la persona."
    ),
}
CURRENT_CONTACT_CONSENT_VERSION = "2026-12-v1"
ROSTER_CONTACT_CONSENT_VERSION = "roster-v1"


# A parent's or guardian's consent for a minor (required below 14 by Ley 29733's
# regulation). Follow-up contact is a purpose of its own: the text says it is covered only
# when the guardian also ticks it (GuardianConsent.allows_follow_up).
GUARDIAN_CONSENT_TEXTS: dict[str, str] = {
    "2026-12-v1": (
        "Como madre, padre o apoderado(a) de la persona menor de edad, autorizo el "
        "tratamiento de sus datos personales (nombres, documento de identidad, fecha de "
        "nacimiento, sexo, datos de contacto y calificaciones) para registrar su "
        "participación en las actividades de capacitación y elaborar reportes estadísticos, "
        "conforme a la Ley N.° 29733, Ley de Protección de Datos Personales, y su reglamento, "
        "que exige el consentimiento de los padres o apoderados para los menores de 14 años. "
        "Esta autorización no incluye que se le contacte después de la capacitación para "
        "encuestas de seguimiento, salvo que lo autorice expresamente marcando la casilla "
        "correspondiente. Puedo revocarla y ejercer los derechos de acceso, rectificación, "
        "cancelación y oposición ante el administrador del registro."
    ),
    # As for contact consent: a roster states that the guardian consented, not the words
    # they were shown (the partner's form is not the registry's).
    "roster-v1": (
        "Consentimiento de la madre, el padre o el apoderado declarado en las columnas de la "
        "lista de participantes enviada por la escuela o el socio (nombre, parentesco y "
        "autorización). La lista no registra el texto que se le mostró; cubre el contacto de "
        "seguimiento solo si la fila lo acepta."
    ),
}
CURRENT_GUARDIAN_CONSENT_VERSION = "2026-12-v1"
ROSTER_GUARDIAN_CONSENT_VERSION = "roster-v1"


def guardian_consent_text(version: str = CURRENT_GUARDIAN_CONSENT_VERSION) -> str:
    return GUARDIAN_CONSENT_TEXTS[version]


def guardian_consent_sha256(version: str = CURRENT_GUARDIAN_CONSENT_VERSION) -> str:
    return hashlib.sha256(guardian_consent_text(version).encode("utf-8")).hexdigest()


def contact_consent_text(version: str = CURRENT_CONTACT_CONSENT_VERSION) -> str:
    return CONTACT_CONSENT_TEXTS[version]


def contact_consent_sha256(version: str = CURRENT_CONTACT_CONSENT_VERSION) -> str:
    return hashlib.sha256(contact_consent_text(version).encode("utf-8")).hexdigest()


def consent_text(version: str = CURRENT_CONSENT_VERSION) -> str:
    return CONSENT_TEXTS[version]


def consent_sha256(version: str = CURRENT_CONSENT_VERSION) -> str:
    return hashlib.sha256(consent_text(version).encode("utf-8")).hexdigest()
