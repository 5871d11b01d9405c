"""Who supplied what of a person: the facts `accounts.access` decides a school's view by.

- The school that brought the person to the registry: the school of the cohort of the
  person's earliest enrollment. A merge moves the merged person's enrollments to the survivor,
  so this holds for merged persons too; rows from before identity records were kept (and the
  demo data) have enrollments as well, which is why it is not read from identity records.
- Each identity record's school: a roster row's is the school of the cohort it was imported
  into (whoever ran the import); a registration's or a correction's is the school of the
  staff member who recorded it, and none for administrators and the command line. A merge
  leaves the merged person's records on the tombstone, so the records of every person merged
  into the person count as the person's.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from courses.models import Enrollment
from participants.models import IdentityRecord
from participants.record_frames.merged_persons import members_of

RECORD_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "document_number",
    "email",
    "phone",
)


@dataclass
class PersonSources:
    first_school_id: int | None = None
    # Oldest first; each record's values plus its "school_id" (None: no school's).
    records: list[dict[str, Any]] = field(default_factory=list)


def person_sources(person_ids: Collection[int]) -> dict[int, PersonSources]:
    """The sources of each person, in three queries whatever the number of persons."""
    sources = {pk: PersonSources() for pk in person_ids}
    if not sources:
        return sources
    first_read: set[int] = set()
    for person_id, school_id in (
        Enrollment.objects.filter(person_id__in=list(sources))
        .order_by("person_id", "pk")
        .values_list("person_id", "cohort__school_id")
    ):
        if person_id not in first_read:
            first_read.add(person_id)
            sources[person_id].first_school_id = school_id
    members = members_of(sources)
    for record in (
        IdentityRecord.objects.filter(person_id__in=list(members))
        .order_by("created_at", "pk")
        .values(
            "person_id",
            *RECORD_FIELDS,
            "document_type",
            "source_record__batch__cohort__school_id",
            "recorded_by__school_membership__school_id",
        )
    ):
        roster_school = record.pop("source_record__batch__cohort__school_id")
        staff_school = record.pop("recorded_by__school_membership__school_id")
        record["school_id"] = roster_school if roster_school is not None else staff_school
        sources[members[record.pop("person_id")]].records.append(record)
    return sources
