"""Admin pages that delete nothing, or change nothing either.

Persons and source records are never deleted from the admin: a person leaves the registry
only through a merge (reversible) or a cancellation (anonymised), both audited services.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class NoDeleteMixin:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
