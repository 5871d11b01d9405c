"""Spanish labels for the values reports group by (the users read Spanish)."""

from __future__ import annotations

# The components' names are parsed by the participation filters, so they are defined there.
from courses.filter_names import COMPONENT_LABELS as COMPONENT_LABELS

SEX_LABELS = {"F": "Mujer", "M": "Hombre", "X": "Otro", "U": "No registrado"}
# A missing vocabulary entry is either not written in the roster or a spelling that an
# administrator has not mapped yet; the completeness section tells the two apart.
MISSING = "No registrado o sin mapear"
NO_INDICATOR = "Sin indicador"
NO_YEAR = "Sin fecha"
