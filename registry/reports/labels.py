"""Spanish labels for the values reports group by (the users read Spanish)."""

from __future__ import annotations

SEX_LABELS = {"F": "Mujer", "M": "Hombre", "X": "Otro", "U": "No registrado"}
COMPONENT_LABELS = {
    "prosecution": "Persecución",
    "protection": "Protección",
    "prevention": "Prevención",
    "": "Sin componente",
}
# A missing vocabulary entry is either not written in the roster or a spelling that an
# administrator has not mapped yet; the completeness section tells the two apart.
MISSING = "No registrado o sin mapear"
NO_INDICATOR = "Sin indicador"
NO_YEAR = "Sin fecha"
