"""What the three kinds of request share."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from participants.merge_chains import chain_members
from participants.models import Person

RECTIFIABLE_FIELDS = (
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "document_type",
    "document_number",
    "birth_date",
    "email",
    "phone",
)


class DataRequestError(Exception):
    """A request that cannot be carried out; the message says why."""


def with_tombstones(person: Person) -> list[Person]:
    """The person and every person merged into them, directly or through a chain."""
    members = chain_members([person.pk], _merged_into_any)
    others = Person.objects.filter(pk__in=[pk for pk in members if pk != person.pk])
    return [person, *others.order_by("pk")]


def _merged_into_any(ids: list[int]) -> list[tuple[int, int]]:
    return list(Person.objects.filter(merged_into_id__in=ids).values_list("pk", "merged_into_id"))


def json_ready(value: Any) -> Any:
    """Dates, decimals and UUIDs as strings: the document a person receives."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
