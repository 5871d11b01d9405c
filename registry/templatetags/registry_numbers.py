"""`{% load registry_numbers %}{{ value|number }}`, `{{ value|number:2 }}`,
`{{ share|percent }}`: es-PE numbers with thousands grouped, the same helper the views and
commands use; `{{ score|probability }}` for match probabilities."""

from __future__ import annotations

from typing import Any

from django import template

from formats.numbers import number_shown, probability_shown

register = template.Library()


@register.filter
def number(value: Any, decimals: int | None = None) -> Any:
    # Text is shown as it is: a withheld figure ("< 5", "x") among the numbers.
    if value is None or isinstance(value, str | bool):
        return value
    try:
        return number_shown(value, decimals=None if decimals is None else int(decimals))
    except (TypeError, ValueError):
        return value


@register.filter
def percent(value: Any, decimals: int = 1) -> Any:
    """`{{ share|percent }}`: "12.5%", or a withheld figure's mark as it is (no "%")."""
    if value is None or isinstance(value, str | bool):
        return value
    return f"{number_shown(value, decimals=int(decimals))}%"


@register.filter
def probability(value: Any) -> Any:
    """`{{ candidate.score|probability }}`: the one way a match probability is shown."""
    if value is None or value == "":
        return value
    return probability_shown(float(value))
