"""Recording identity records: every roster row, registration and correction of a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# The registry's users are Django's own (AUTH_USER_MODEL is left at its default).
from django.contrib.auth.models import User

from participants.documents import DocumentType
from participants.models import IdentityRecord, Person, RecordSource
from participants.phonetic import name_keys


@dataclass(frozen=True)
class IdentityValues:
    """What one description says of a person, normalised as the import and forms do."""

    given_names: str = ""
    paternal_surname: str = ""
    maternal_surname: str = ""
    document_type: str = DocumentType.DNI
    document_number: str = ""
    sex: str = ""
    birth_date: date | None = None
    email: str = ""
    phone: str = ""
    institution: str = ""
    role: str = ""
    region: str = ""

    # The values as evidence, shared by identity records and the rows the engine matches.
    @property
    def dni(self) -> str:
        """The document's number when it is a DNI, else ''."""
        return self.document_number if self.document_type == DocumentType.DNI else ""

    @property
    def stated_document_type(self) -> str:
        """The document's type, only when a number was given."""
        return self.document_type if self.document_number else ""

    @property
    def known_sex(self) -> str:
        """F, M or X; '' otherwise: "U" (not recorded) is no evidence."""
        return self.sex if self.sex in ("F", "M", "X") else ""

    @property
    def email_key(self) -> str:
        """The e-mail as compared and stored: no surrounding spaces, lower case."""
        return self.email.strip().lower()

    @classmethod
    def of_person(cls, person: Person) -> IdentityValues:
        return cls(
            given_names=person.given_names,
            paternal_surname=person.paternal_surname,
            maternal_surname=person.maternal_surname,
            document_type=person.document_type,
            document_number=person.document_number,
            sex=person.sex,
            birth_date=person.birth_date,
            email=person.email,
            phone=person.phone,
        )


def identity_record_build(
    *,
    person_id: int,
    values: IdentityValues,
    source: str,
    actor: User | None = None,
) -> IdentityRecord:
    """An unsaved record with its blocking keys (for bulk creation)."""
    return IdentityRecord(
        person_id=person_id,
        source=source,
        recorded_by=actor,
        given_names=values.given_names[:120],
        paternal_surname=values.paternal_surname[:80],
        maternal_surname=values.maternal_surname[:80],
        dni=values.dni,
        document_type=values.stated_document_type,
        document_number=values.document_number,
        sex=values.known_sex,
        birth_date=values.birth_date,
        email=values.email_key[:254],
        phone=values.phone[:20],
        institution=values.institution[:200],
        role=values.role[:200],
        region=values.region[:100],
        **name_keys(
            given_names=values.given_names,
            paternal_surname=values.paternal_surname,
            maternal_surname=values.maternal_surname,
        ),
    )


def identity_records_create(records: Iterable[IdentityRecord]) -> list[IdentityRecord]:
    return IdentityRecord.objects.bulk_create(list(records), batch_size=1000)


def identity_record_add(
    *,
    person: Person,
    source: str = RecordSource.CORRECTION,
    values: IdentityValues | None = None,
    actor: User | None = None,
    replaces_dni: str = "",
) -> IdentityRecord:
    """Record one description of a person: by default its current values, as corrected.

    `replaces_dni`: the DNI an administrator's correction replaces (see the field)."""
    record = identity_record_build(
        person_id=person.pk,
        values=values or IdentityValues.of_person(person),
        source=source,
        actor=actor,
    )
    record.replaces_dni = replaces_dni
    record.full_clean()
    record.save()
    return record
