"""Admin for identity, vocabularies and provenance.

Persons and source records are never deleted from the admin: a person leaves the registry
only through a merge (reversible) or a cancellation (anonymised), both audited services.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from accounts.access import SchoolScopedAdminMixin, SchoolScopedInlineMixin, is_registry_admin
from courses.models import Enrollment
from participants.data_requests.admin import PersonDataProtectionAdminMixin
from participants.documents import DocumentType, normalise_dni
from participants.identity.records import identity_record_add
from participants.models import (
    DuplicateCandidate,
    IdentityRecord,
    ImportBatch,
    Institution,
    InstitutionAlias,
    MergeRecord,
    Person,
    RecordSource,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
    SourceRecord,
)
from participants.names import fold
from participants.phonetic import spanish_phonetic_key
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


IDENTITY_FIELDS = {
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "sex",
    "birth_date",
    "document_type",
    "document_number",
    "email",
    "phone",
}


class IdentityRecordInline(ReadOnlyMixin, admin.TabularInline):
    """Every description of the person the registry holds (registry administrators only:
    records come from every school's rosters)."""

    model = IdentityRecord
    fk_name = "person"
    extra = 0
    fields = (
        "source",
        "created_at",
        "given_names",
        "paternal_surname",
        "maternal_surname",
        "dni",
        "sex",
        "email",
        "phone",
        "institution",
        "source_record",
    )
    readonly_fields = fields

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_registry_admin(request.user) and super().has_view_permission(request, obj)


class PersonFindForm(forms.Form):
    """Find a person by DNI or names; sent by POST so that nothing personal enters a URL."""

    dni = forms.CharField(label="DNI", required=False, max_length=20)
    paternal_surname = forms.CharField(label="Apellido paterno", required=False, max_length=100)
    maternal_surname = forms.CharField(label="Apellido materno", required=False, max_length=100)
    given_names = forms.CharField(label="Nombres", required=False, max_length=150)

    def clean_dni(self) -> str:
        raw = self.cleaned_data["dni"]
        result = normalise_dni(raw)
        if result.placeholder:
            raise forms.ValidationError(result.problem)
        if raw.strip() and not result.value:
            raise forms.ValidationError("El DNI debe tener 8 dígitos.")
        return result.value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("dni") or fold(data.get("paternal_surname")) or self.errors):
            raise forms.ValidationError("Indique el DNI o, al menos, el apellido paterno.")
        return data


def person_find_matches(*, persons: Any, data: dict[str, Any], limit: int = 50) -> list[Person]:
    """Persons among `persons` with the DNI, or whose names sound the same (phonetic keys)."""
    if data.get("dni"):
        found = persons.filter(document_type=DocumentType.DNI, document_number=data["dni"])
    else:
        found = persons.filter(paternal_key=spanish_phonetic_key(data["paternal_surname"]))
        if fold(data.get("maternal_surname")):
            found = found.filter(maternal_key=spanish_phonetic_key(data["maternal_surname"]))
        first_given = fold(data.get("given_names")).split(" ")[0]
        if first_given:
            found = found.filter(given_key=spanish_phonetic_key(first_given))
    return list(found.order_by("paternal_surname", "maternal_surname", "given_names")[:limit])


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
    # The changelist search travels in the URL (?q=), which lands in server and proxy logs:
    # only the pseudonymous code is searched there; DNI and names go through the find page.
    search_fields = ("=code",)
    change_list_template = "participants/admin/person_change_list.html"
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
    inlines = (EnrollmentInline, SourceRecordInline, IdentityRecordInline)
    list_per_page = 50
    show_full_result_count = False

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        person_keys(obj)
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & IDENTITY_FIELDS:
            # The corrected values are one more description of the person, kept for good.
            identity_record_add(person=obj, source=RecordSource.CORRECTION, actor=request.user)

    def get_urls(self) -> list[URLPattern]:
        find = path(
            "find/",
            self.admin_site.admin_view(self.find_view),
            name="participants_person_find",
        )
        return [find, *super().get_urls()]

    def find_view(self, request: HttpRequest) -> HttpResponse:
        """POST a DNI or names; one match opens the person (by id), several are listed here."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PersonFindForm(request.POST if request.method == "POST" else None)
        matches = None
        if form.is_valid():
            # Scoped like the changelist: school staff find only their own participants.
            matches = person_find_matches(
                persons=self.get_queryset(request), data=form.cleaned_data
            )
            if len(matches) == 1:
                return HttpResponseRedirect(
                    reverse("admin:participants_person_change", args=[matches[0].pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Buscar una persona",
            "form": form,
            "matches": matches,
        }
        # admin_view marks the answer never_cache (no-store): the names listed are not kept.
        return TemplateResponse(request, "participants/admin/person_find.html", context)

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
