"""The person admin's find page: a person looked up by DNI or names, sent by POST."""

from __future__ import annotations

from typing import Any

from django import forms

from participants.documents import DocumentType, normalise_dni
from participants.models import Person
from participants.names import fold
from participants.phonetic import name_keys


class PersonFindForm(forms.Form):
    """Find a person by DNI or names; sent by POST so that nothing personal enters a URL."""

    dni = forms.CharField(label="DNI", required=False, max_length=20)
    paternal_surname = forms.CharField(label="Apellido paterno", required=False, max_length=100)
    maternal_surname = forms.CharField(label="Apellido materno", required=False, max_length=100)
    given_names = forms.CharField(label="Nombres", required=False, max_length=150)

    def clean_dni(self) -> str:
        raw = self.cleaned_data["dni"]
        result = normalise_dni(raw)
        if result.placeholder:
            raise forms.ValidationError(result.problem)
        if raw.strip() and not result.value:
            raise forms.ValidationError("El DNI debe tener 8 dígitos.")
        return result.value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("dni") or fold(data.get("paternal_surname")) or self.errors):
            raise forms.ValidationError("Indique el DNI o, al menos, el apellido paterno.")
        return data


def person_find_matches(*, persons: Any, data: dict[str, Any], limit: int = 50) -> list[Person]:
    """Persons among `persons` with the DNI, or whose names sound the same (phonetic keys)."""
    if data.get("dni"):
        found = persons.filter(document_type=DocumentType.DNI, document_number=data["dni"])
    else:
        keys = name_keys(
            given_names=data.get("given_names") or "",
            paternal_surname=data.get("paternal_surname") or "",
            maternal_surname=data.get("maternal_surname") or "",
        )
        found = persons.filter(paternal_key=keys["paternal_key"])
        for field in ("maternal_key", "given_key"):
            if keys[field]:
                found = found.filter(**{field: keys[field]})
    return list(found.order_by("paternal_surname", "maternal_surname", "given_names")[:limit])


def person_shows_values(*, person: Person, data: dict[str, Any]) -> bool:
    """`person_find_matches` for one person in memory, on the values it carries."""
    if data.get("dni"):
        return person.document_type == DocumentType.DNI and person.document_number == data["dni"]

    wanted = name_keys(
        given_names=data.get("given_names") or "",
        paternal_surname=data.get("paternal_surname") or "",
        maternal_surname=data.get("maternal_surname") or "",
    )
    shown = name_keys(
        given_names=person.given_names,
        paternal_surname=person.paternal_surname,
        maternal_surname=person.maternal_surname,
    )
    if not person.paternal_surname or shown["paternal_key"] != wanted["paternal_key"]:
        return False
    return all(
        not wanted[field] or shown[field] == wanted[field]
        for field in ("maternal_key", "given_key")
    )
