"""Query parameters the database cannot take are refused with a 400, before any query runs.

- A NUL byte: PostgreSQL refuses it in any text value, so a `?person=%00` would end in a 500.
- A date-part lookup (`created_at__year=-1`, a 20-digit year) on an admin change list: Django
  builds the year's bounds only when the query runs, while the page renders, so the admin's own
  check of the filters cannot catch it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import render

# Transforms of date and datetime fields whose value is a whole number.
DATE_PART_LOOKUPS = frozenset(
    {
        "year",
        "iso_year",
        "quarter",
        "month",
        "week",
        "week_day",
        "iso_week_day",
        "day",
        "hour",
        "minute",
        "second",
    }
)
# Python's dates run from year 1 to 9999; no other part has more than four digits either.
_DATE_PART_VALUE = re.compile(r"^\d{1,4}$")


def bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "400.html", {"reason": reason}, status=400)


def nul_byte_problem(query: QueryDict) -> str | None:
    for key, values in query.lists():
        if "\x00" in key or any("\x00" in value for value in values):
            return "La dirección contiene un carácter nulo, que no es válido."
    return None


def _date_part_values_are_valid(lookup_parts: list[str], values: Iterable[str]) -> bool:
    last = lookup_parts[-1]
    if last == "isnull":
        return True
    is_year = not {"year", "iso_year"}.isdisjoint(lookup_parts[1:])
    for value in values:
        pieces = value.split(",") if last in ("in", "range") else [value]
        for piece in (piece.strip() for piece in pieces):
            if not _DATE_PART_VALUE.match(piece) or (is_year and int(piece) < 1):
                return False
    return True


def date_part_problem(query: QueryDict) -> str | None:
    for key, values in query.lists():
        parts = key.split("__")
        if DATE_PART_LOOKUPS.isdisjoint(parts[1:]):
            continue
        if not _date_part_values_are_valid(parts, values):
            shown = ", ".join(values)
            return (
                f"El filtro «{key}» tiene el valor «{shown}», que no es válido: "
                "debe ser un número entero de hasta cuatro cifras (un año, entre 1 y 9999)."
            )
    return None


class NulByteQueryMiddleware:
    """Answers 400 to any request whose query string carries a NUL byte."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        problem = nul_byte_problem(request.GET)
        if problem is not None:
            return bad_request(request, problem)
        return self.get_response(request)
