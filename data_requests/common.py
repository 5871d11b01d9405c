"""What the three kinds of request share."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from participants.models import Person
from participants.selectors import cluster_ids

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
    others = Person.objects.filter(pk__in=cluster_ids(person) - {person.pk})
    return [person, *others.order_by("pk")]


def json_ready(value: Any) -> Any:
    """Dates, decimals and UUIDs as strings: the document a person receives."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
