"""The audit log in the admin: administrators read and filter it; nobody can change it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor_username", "object_type", "object_code", "ip_address")
    list_filter = ("action", "at", "actor", "object_type")
    date_hierarchy = "at"
    # Exact matches only: the code of a person or the username, never free text.
    search_fields = ("=object_code", "=actor_username", "=object_id")
    readonly_fields = (
        "at",
        "actor",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "object_code",
        "details",
        "ip_address",
    )
    list_select_related = ("actor",)
    list_per_page = 100
    show_full_result_count = False
    # No bulk "delete selected".
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
