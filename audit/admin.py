"""The audit log in the admin: administrators read and filter it; nobody can change it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.details_display import json_as_html
from audit.models import AuditEvent, current_object_type, object_type_labels


class ObjectTypeFilter(admin.SimpleListFilter):
    """The object types recorded so far, by their Spanish names rather than "app.model"."""

    title = _("object type")
    parameter_name = "object_type"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        types = model_admin.get_queryset(request).values_list("object_type", flat=True)
        current = {current_object_type(value) for value in types.distinct().order_by() if value}
        events = [AuditEvent(object_type=value) for value in current]
        return sorted(
            ((event.object_type, event.object_type_label) for event in events),
            key=lambda pair: pair[1],
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> Any:
        label = self.value()
        if not label:
            return queryset
        return queryset.filter(object_type__in=object_type_labels(label))


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = (
        "at",
        "action",
        "actor_username",
        "object_type_label",
        "object_code",
        "ip_address",
    )
    list_filter = ("action", "at", "actor", ObjectTypeFilter)
    date_hierarchy = "at"
    # Exact matches only: the code of a person or the username, never free text.
    search_fields = ("=object_code", "=actor_username", "=object_id")
    readonly_fields = (
        "at",
        "actor",
        "actor_username",
        "action",
        "object_type_label",
        "object_id",
        "object_code",
        "details_table",
        "ip_address",
        "prev_hash",
        "hash",
    )
    fields = readonly_fields
    list_select_related = ("actor",)
    list_per_page = 100
    show_full_result_count = False
    # No bulk "delete selected".
    actions = None

    @admin.display(description=_("object type"), ordering="object_type")
    def object_type_label(self, obj: AuditEvent) -> str:
        return obj.object_type_label

    @admin.display(description=_("details"))
    def details_table(self, obj: AuditEvent) -> str:
        return json_as_html(obj.details)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
