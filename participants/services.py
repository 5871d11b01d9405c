"""Write services for persons and vocabularies. Callers: import, admin, views, commands."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from participants.identity.records import IdentityValues
from participants.models import Person, Sex
from participants.names import display_name
from participants.phonetic import name_keys


def person_keys(person: Person) -> None:
    """Refresh the stored phonetic blocking keys from the person's names."""
    keys = name_keys(
        given_names=person.given_names,
        paternal_surname=person.paternal_surname,
        maternal_surname=person.maternal_surname,
    )
    for field, value in keys.items():
        setattr(person, field, value)


def person_build(
    *,
    given_names: str,
    paternal_surname: str,
    maternal_surname: str = "",
    sex: str = Sex.NOT_RECORDED,
    document_type: str = "dni",
    document_number: str = "",
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
) -> Person:
    """An unsaved, validated person (for bulk creation by the import)."""
    person = Person(
        given_names=display_name(given_names),
        paternal_surname=display_name(paternal_surname),
        maternal_surname=display_name(maternal_surname),
        sex=sex or Sex.NOT_RECORDED,
        document_type=document_type,
        document_number=document_number,
        birth_date=birth_date,
        email=email.strip().lower(),
        phone=phone,
    )
    person_keys(person)
    person.full_clean(validate_unique=False, validate_constraints=False)
    return person


def person_build_from(values: IdentityValues) -> Person:
    """`person_build` from a description (a staged roster row's values)."""
    return person_build(
        given_names=values.given_names,
        paternal_surname=values.paternal_surname,
        maternal_surname=values.maternal_surname,
        sex=values.sex,
        document_type=values.document_type,
        document_number=values.document_number,
        birth_date=values.birth_date,
        email=values.email,
        phone=values.phone,
    )


def validation_problems(error: ValidationError) -> str:
    """A model's validation errors on one line: "field: message; field: message"."""
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
    )


@transaction.atomic
def person_create(**fields: Any) -> Person:
    person = person_build(**fields)
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update(*, person: Person, **changes: Any) -> Person:
    for field, value in changes.items():
        setattr(person, field, value)
    person_keys(person)
    person.full_clean()
    person.save()
    return person
