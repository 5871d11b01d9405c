"""Spanish labels for the values reports group by (the users read Spanish)."""

from __future__ import annotations

# The components' names are parsed by the participation filters, so they are defined there.
from courses.filter_names import COMPONENT_LABELS as COMPONENT_LABELS

# Sex labels are the model's (`participants.models.sex_labels`), read where they are shown so
# that the active language applies; there is no second list here.

# A missing vocabulary entry is either not written in the roster or a spelling that an
# administrator has not mapped yet; the completeness section tells the two apart.
MISSING = "No registrado o sin mapear"
NO_INDICATOR = "Sin indicador"
NO_YEAR = "Sin fecha"
