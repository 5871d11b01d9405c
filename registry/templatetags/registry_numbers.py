"""`{% load registry_numbers %}{{ value|number }}`, `{{ value|number:2 }}`: es-PE numbers with
thousands grouped, the same helper the views and commands use."""

from __future__ import annotations

from typing import Any

from django import template

from formats.numbers import number_shown

register = template.Library()


@register.filter
def number(value: Any, decimals: int | None = None) -> Any:
    if value is None or value == "" or isinstance(value, bool):
        return value
    try:
        return number_shown(value, decimals=None if decimals is None else int(decimals))
    except (TypeError, ValueError):
        return value
