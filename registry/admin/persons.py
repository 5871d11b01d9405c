"""Admin for identity, vocabularies and provenance.

Persons and source records are never deleted from the admin: a person leaves the registry
only through a merge (reversible) or a cancellation (anonymised), both audited services.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from accounts.access import is_registry_admin, is_school_staff, persons_as_seen_by
from accounts.admin_scoping import SchoolScopedAdminMixin, SchoolScopedInlineMixin
from audit.details_display import json_as_html, rejected_rows_as_html
from courses.models import Enrollment, ImportBatch, SourceRecord
from data_requests.admin import PersonDataProtectionAdminMixin
from participants.documents import DocumentType, normalise_dni
from participants.identity.records import identity_record_add
from participants.models import (
    DuplicateCandidate,
    IdentityRecord,
    Institution,
    InstitutionAlias,
    MergeRecord,
    Person,
    PersonStatus,
    RecordSource,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
)
from participants.names import clean_text, fold
from participants.phonetic import name_keys
from participants.services import person_keys
from registry.admin.vocabulary_exchange import (
    ALIAS_RESOURCES,
    RegistryCSV,
    RegistryXLSX,
)


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
    fields = ("batch", "row_number", "outcome", "cells", "flagged")
    readonly_fields = fields

    @admin.display(description=_("cells as received"))
    def cells(self, obj: SourceRecord) -> str:
        return json_as_html(obj.raw)

    @admin.display(description=_("flagged values"))
    def flagged(self, obj: SourceRecord) -> str:
        return json_as_html(obj.problems)


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
        keys = name_keys(
            given_names=data.get("given_names") or "",
            paternal_surname=data.get("paternal_surname") or "",
            maternal_surname=data.get("maternal_surname") or "",
        )
        found = persons.filter(paternal_key=keys["paternal_key"])
        for field in ("maternal_key", "given_key"):
            if keys[field]:
                found = found.filter(**{field: keys[field]})
    return list(found.order_by("paternal_surname", "maternal_surname", "given_names")[:limit])


REGISTERED_DOCUMENT = _(
    "This document number is already registered: the registry does not hold a second person "
    "with it. Look the person up with “Find by DNI or names”; to enroll them in a cohort, use "
    "“Register participant” on the cohort's page."
)


class PersonAdminForm(forms.ModelForm):
    """Names as a reader sees them: controls, escapes and direction overrides dropped; and a
    document number no other active person has."""

    def clean(self) -> dict[str, Any]:
        # ModelForm.clean returns cleaned_data, never None.
        data = cast("dict[str, Any]", super().clean())
        for name in ("given_names", "paternal_surname", "maternal_surname"):
            if isinstance(data.get(name), str):
                data[name] = clean_text(data[name])
        self._refuse_registered_document(data)
        return data

    def _refuse_registered_document(self, data: dict[str, Any]) -> None:
        # The constraint `person_one_active_per_document` holds for active persons only, and
        # the form has no status field, so Django's constraint validation skips it and the
        # save would fail on the database. The message names no one: who holds the document
        # is what the find page (scoped to the user) and the registration pages tell.
        number = data.get("document_number")
        document_type = data.get("document_type", self.instance.document_type)
        if not number or self.instance.status != PersonStatus.ACTIVE:
            return
        holders = Person.objects.active().filter(
            document_type=document_type, document_number=number
        )
        if self.instance.pk is not None:
            holders = holders.exclude(pk=self.instance.pk)
        if holders.exists():
            self.add_error("document_number", REGISTERED_DOCUMENT)


def person_shows_values(*, person: Person, data: dict[str, Any]) -> bool:
    """`person_find_matches` for one person in memory, on the values it carries."""
    if data.get("dni"):
        return person.document_type == DocumentType.DNI and person.document_number == data["dni"]

    wanted = name_keys(
        given_names=data.get("given_names") or "",
        paternal_surname=data.get("paternal_surname") or "",
        maternal_surname=data.get("maternal_surname") or "",
    )
    shown = name_keys(
        given_names=person.given_names,
        paternal_surname=person.paternal_surname,
        maternal_surname=person.maternal_surname,
    )
    if not person.paternal_surname or shown["paternal_key"] != wanted["paternal_key"]:
        return False
    return all(
        not wanted[field] or shown[field] == wanted[field]
        for field in ("maternal_key", "given_key")
    )


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
    change_list_template = "registry/admin/participants/person_change_list.html"
    form = PersonAdminForm
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
        (_("Name"), {"fields": ("given_names", "paternal_surname", "maternal_surname")}),
        (_("Identity"), {"fields": ("sex", "birth_date", "document_type", "document_number")}),
        (_("Contact"), {"fields": ("email", "phone")}),
        (_("Record"), {"fields": ("created_at", "updated_at", "merge_history")}),
    )
    inlines = (EnrollmentInline, SourceRecordInline, IdentityRecordInline)
    list_per_page = 50
    show_full_result_count = False

    # School staff read persons as `accounts.access.persons_as_seen_by` shows them: their list
    # has no filter, sort or column on values they may not read (a filter by sex or a sort by
    # surname would tell what the page withholds).
    def get_list_display(self, request: HttpRequest) -> Any:
        if is_registry_admin(request.user):
            return super().get_list_display(request)
        return ("code", "seen_name", "sex", "document_number", "status")

    def get_list_display_links(self, request: HttpRequest, list_display: Any) -> Any:
        if is_registry_admin(request.user):
            return super().get_list_display_links(request, list_display)
        return ("code",)

    def get_list_filter(self, request: HttpRequest) -> Any:
        return super().get_list_filter(request) if is_registry_admin(request.user) else ()

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest) -> bool:
        # Django allows any lookup on the model's own fields in the URL (?document_number=):
        # for school staff that would be a search on values the page withholds.
        if not is_registry_admin(request.user):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_sortable_by(self, request: HttpRequest) -> Any:
        return super().get_sortable_by(request) if is_registry_admin(request.user) else ("code",)

    def get_ordering(self, request: HttpRequest) -> Any:
        return super().get_ordering(request) if is_registry_admin(request.user) else ("code",)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if is_registry_admin(request.user) or obj is None:
            return fieldsets
        return ((None, {"fields": ("code", "status", "seen_name")}), *fieldsets[1:])

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        return readonly if is_registry_admin(request.user) else (*readonly, "seen_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Also when someone granted the permission to a school user by hand: persons of a
        # school enter through its registration pages (see accounts.roles).
        return not is_school_staff(request.user) and super().has_add_permission(request)

    @admin.display(description=_("name"))
    def seen_name(self, obj: Person) -> str:
        return getattr(obj, "seen_name", obj.full_name)

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        person_keys(obj)
        super().save_model(request, obj, form, change)
        if set(form.changed_data) & IDENTITY_FIELDS:
            # The corrected values are one more description of the person, kept for good.
            # The admin lets only signed-in staff this far; the check tells the type so.
            actor = request.user if request.user.is_authenticated else None
            identity_record_add(person=obj, source=RecordSource.CORRECTION, actor=actor)

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
            if not is_registry_admin(request.user):
                # Found only by what the user may read of the person: a DNI another school
                # supplied must not answer "yes, this one" to a guess.
                matches = [
                    person
                    for person in persons_as_seen_by(request.user, matches)
                    if person_shows_values(person=person, data=form.cleaned_data)
                ]
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
        return TemplateResponse(request, "registry/admin/participants/person_find.html", context)

    @admin.display(description=_("merges"))
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
class AliasAdmin(ImportExportModelAdmin):
    """Spellings, one by one or as a spreadsheet (registry/admin/vocabulary_exchange.py)."""

    list_display = ("key", "__str__")
    search_fields = ("key",)
    import_formats = (RegistryCSV,)
    export_formats = (RegistryCSV, RegistryXLSX)

    def get_resource_classes(self, request: HttpRequest) -> list[type[Any]]:
        return [ALIAS_RESOURCES[self.model]]


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
    # The JSON details read as tables, not as raw JSON.
    exclude = ("rejected_rows", "options")
    readonly_fields = ("rejected_rows_table", "options_table")

    @admin.display(description=_("rejected rows"))
    def rejected_rows_table(self, obj: ImportBatch) -> str:
        return rejected_rows_as_html(obj.rejected_rows)

    @admin.display(description=_("options"))
    def options_table(self, obj: ImportBatch) -> str:
        return json_as_html(obj.options)


@admin.register(SourceRecord)
class SourceRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("batch", "row_number", "outcome", "person_code")
    list_filter = ("outcome",)
    search_fields = ("=person__code", "batch__file_name")
    list_select_related = ("batch", "person")
    exclude = ("raw", "problems")
    readonly_fields = ("cells", "flagged")

    @admin.display(description=_("cells as received"))
    def cells(self, obj: SourceRecord) -> str:
        return json_as_html(obj.raw)

    @admin.display(description=_("flagged values"))
    def flagged(self, obj: SourceRecord) -> str:
        return json_as_html(obj.problems)

    @admin.display(description=_("participant code"), ordering="person__code")
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
    list_display = ("__str__", "rule_label", "score", "merged_by", "merged_at", "undone_at")
    search_fields = ("=survivor__code", "=merged__code")
    list_select_related = ("survivor", "merged", "merged_by")

    exclude = ("rule", "before_state")
    readonly_fields = ("rule_label", "before_state_table")

    @admin.display(description=_("rule"), ordering="rule")
    def rule_label(self, obj: MergeRecord) -> str:
        return obj.rule_label

    @admin.display(description=_("state before the merge"))
    def before_state_table(self, obj: MergeRecord) -> str:
        return json_as_html(obj.before_state)
