"""Admin for identity, vocabularies and provenance.

Persons and source records are never deleted from the admin: a person leaves the registry
only through a merge (reversible) or a cancellation (anonymised), both audited services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from accounts.access import SchoolScopedAdminMixin, SchoolScopedInlineMixin
from courses.models import Enrollment
from participants.data_requests.admin import PersonDataProtectionAdminMixin
from participants.models import (
    DuplicateCandidate,
    ImportBatch,
    Institution,
    InstitutionAlias,
    MergeRecord,
    Person,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
    SourceRecord,
)
from participants.services import person_keys


class NoDeleteMixin:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyMixin(NoDeleteMixin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EnrollmentInline(SchoolScopedInlineMixin, NoDeleteMixin, admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = ("cohort", "institution", "institution_text", "role", "role_text", "region")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SourceRecordInline(SchoolScopedInlineMixin, ReadOnlyMixin, admin.TabularInline):
    model = SourceRecord
    fk_name = "person"
    extra = 0
    fields = ("batch", "row_number", "outcome", "raw", "problems")
    readonly_fields = fields


@admin.register(Person)
class PersonAdmin(
    SchoolScopedAdminMixin, PersonDataProtectionAdminMixin, NoDeleteMixin, admin.ModelAdmin
):
    list_display = (
        "code",
        "paternal_surname",
        "maternal_surname",
        "given_names",
        "sex",
        "document_number",
        "status",
    )
    list_display_links = ("code", "paternal_surname")
    list_filter = ("status", "sex", "document_type")
    search_fields = (
        "=code",
        "=document_number",
        "paternal_surname",
        "maternal_surname",
        "given_names",
        "email",
    )
    readonly_fields = (
        "code",
        "status",
        "merged_into",
        "created_at",
        "updated_at",
        "merge_history",
    )
    fieldsets = (
        (None, {"fields": ("code", "status", "merged_into")}),
        ("Name", {"fields": ("given_names", "paternal_surname", "maternal_surname")}),
        ("Identity", {"fields": ("sex", "birth_date", "document_type", "document_number")}),
        ("Contact", {"fields": ("email", "phone")}),
        ("Record", {"fields": ("created_at", "updated_at", "merge_history")}),
    )
    inlines = (EnrollmentInline, SourceRecordInline)
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        person_keys(obj)
        super().save_model(request, obj, form, change)

    @admin.display(description="merges")
    def merge_history(self, obj: Person) -> str:
        # Merging and undoing happen on the review pages, which show the full history.
        if not obj.pk:
            return ""
        url = reverse("review:merges") + f"?person={obj.code}"
        return format_html('<a href="{}">Historial de fusiones de {}</a>', url, obj.code)


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 1


@admin.register(Region)
class RegionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code", "aliases__key")
    inlines = (RegionAliasInline,)


class InstitutionAliasInline(admin.TabularInline):
    model = InstitutionAlias
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("acronym", "name", "sector", "parent")
    list_filter = ("sector",)
    search_fields = ("acronym", "name", "aliases__key")
    inlines = (InstitutionAliasInline,)


class RoleAliasInline(admin.TabularInline):
    model = RoleAlias
    extra = 1


@admin.register(Role)
class RoleAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code", "aliases__key")
    inlines = (RoleAliasInline,)


@admin.register(RegionAlias, InstitutionAlias, RoleAlias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ("key", "__str__")
    search_fields = ("key",)


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "file_name",
        "cohort",
        "status",
        "rows_total",
        "rows_new",
        "rows_linked",
        "rows_review",
        "rows_rejected",
        "imported_by",
        "created_at",
    )
    list_filter = ("status", "cohort__course")
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("batch", "row_number", "outcome", "person_code")
    list_filter = ("outcome",)
    search_fields = ("=person__code", "batch__file_name")
    list_select_related = ("batch", "person")

    @admin.display(description="participant code", ordering="person__code")
    def person_code(self, obj: SourceRecord) -> str:
        return obj.person.code if obj.person else ""


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "score", "decision", "decided_by", "decided_at")
    list_filter = ("decision",)
    search_fields = ("=person_a__code", "=person_b__code")
    list_select_related = ("person_a", "person_b", "decided_by")


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "rule", "score", "merged_by", "merged_at", "undone_at")
    search_fields = ("=survivor__code", "=merged__code")
    list_select_related = ("survivor", "merged", "merged_by")
