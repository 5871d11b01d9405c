"""Right of rectification: an administrator corrects a person's own fields at their request;
which fields changed and the reason go to the audit log, never the values.

Consent to follow-up contact is not rectified here: each statement is a dated fact, and a
person who now answers otherwise makes a new one (recorded on their admin page), which
counts from then on while the earlier one stays as what was said.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from audit.models import AuditAction
from audit.services import audit_record
from data_requests.common import RECTIFIABLE_FIELDS, DataRequestError
from participants.documents import DocumentType, normalise_dni
from participants.models import Person, PersonStatus, Sex
from participants.names import display_name
from participants.services import person_update


@transaction.atomic
def person_rectify(
    *,
    person: Person,
    changes: dict[str, Any],
    actor: Any,
    reason: str,
    request: HttpRequest | None = None,
) -> Person:
    """Correct the person's own fields at their request; which fields changed is audited."""
    if not reason.strip():
        raise ValidationError({"reason": "Indique el motivo de la rectificación."})
    unknown = sorted(set(changes) - set(RECTIFIABLE_FIELDS))
    if unknown:
        raise ValidationError({"__all__": f"Campos que no se pueden rectificar: {unknown}."})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.status != PersonStatus.ACTIVE:
        raise DataRequestError(f"{person.code} is {person.status}; rectify the active person.")
    cleaned = _normalised(changes, person)
    before = {field: getattr(person, field) for field in cleaned}
    differing = {f: v for f, v in cleaned.items() if before[f] != v}
    if not differing:
        raise ValidationError({"__all__": "Los datos ya tienen esos valores."})
    person_update(person=person, **differing)
    audit_record(
        actor=actor,
        action=AuditAction.DSR_RECTIFY,
        obj=person,
        details={
            # Field names only: the audit log outlives a cancellation and must hold no
            # personal values (see data_requests.cancellation).
            "fields": sorted(differing),
            "reason": reason.strip(),
        },
        request=request,
    )
    return person


def _normalised(changes: dict[str, Any], person: Person) -> dict[str, Any]:
    values = dict(changes)
    for field in ("given_names", "paternal_surname", "maternal_surname"):
        if field in values:
            values[field] = display_name(values[field] or "")
    if "email" in values:
        values["email"] = (values["email"] or "").strip().lower()
    if "phone" in values:
        values["phone"] = (values["phone"] or "").strip()
    if "birth_date" in values and isinstance(values["birth_date"], str):
        values["birth_date"] = (
            date.fromisoformat(values["birth_date"]) if values["birth_date"] else None
        )
    document_type = values.get("document_type", person.document_type)
    if "document_number" in values and document_type == DocumentType.DNI:
        number = str(values["document_number"] or "").strip()
        result = normalise_dni(number)
        if result.placeholder:
            raise ValidationError({"document_number": result.problem})
        if number and (result.problem or result.restored_zero):
            raise ValidationError({"document_number": "Un DNI tiene exactamente 8 dígitos."})
        values["document_number"] = result.value
    if "sex" in values and values["sex"] not in Sex.values:
        raise ValidationError({"sex": "Valor de sexo no válido."})
    return values
