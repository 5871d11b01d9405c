from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Consent, SchoolMembership


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "school", "created_at")
    list_filter = ("school",)
    search_fields = ("=user__username",)
    list_select_related = ("user", "school")
    raw_id_fields = ("user",)


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consents are evidence: recorded by the registration service, never edited."""

    list_display = ("person_code", "text_version", "given_at", "school", "recorded_by")
    list_filter = ("text_version", "school")
    search_fields = ("=person__code",)
    list_select_related = ("person", "school", "recorded_by")
    readonly_fields = (
        "person",
        "cohort",
        "school",
        "given_at",
        "text_version",
        "text_sha256",
        "recorded_by",
    )
    actions = None

    @admin.display(description=_("participant code"), ordering="person__code")
    def person_code(self, obj: Consent) -> str:
        return obj.person.code

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
