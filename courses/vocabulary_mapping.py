"""Map a partner's spelling to a vocabulary entry, and fix the enrollments that used it."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Enrollment
from participants.changes import counted_data_changed
from participants.names import fold
from participants.vocabularies import VOCABULARIES


@transaction.atomic
def alias_map(*, vocabulary: str, text: str, entry: Any, actor: Any = None) -> int:
    """Map a spelling to an entry and fix every enrollment that used it. Returns how many."""
    counted_data_changed()
    vocab = VOCABULARIES[vocabulary]
    key = fold(text)
    if not key:
        raise ValueError("An empty spelling cannot be mapped.")
    vocab.alias_model.objects.update_or_create(key=key, defaults={vocab.field: entry})
    text_field = f"{vocab.field}_text"
    spellings = {
        value
        for value in Enrollment.objects.filter(**{f"{vocab.field}__isnull": True})
        .exclude(**{text_field: ""})
        .values_list(text_field, flat=True)
        .distinct()
        if fold(value) == key
    }
    updated = Enrollment.objects.filter(
        **{f"{vocab.field}__isnull": True, f"{text_field}__in": spellings}
    ).update(**{vocab.field: entry})
    audit_record(
        actor=actor,
        action=AuditAction.ALIAS_MAP,
        obj=entry,
        details={"vocabulary": vocabulary, "spelling": key, "enrollments_updated": updated},
    )
    return updated
