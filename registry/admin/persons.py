"""Admin for persons: the changelist, the change page with its inlines, and the find page.

Persons are never deleted from the admin (see `registry.admin.read_only`). An edit of the
values that identify a person is kept as one more identity record, a correction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import display_for_field
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.access.personal_data import HIDDEN, persons_as_seen_by
from accounts.access.user_scope import is_registry_admin, is_school_staff
from accounts.admin_scoping import SchoolScopedAdminMixin
from data_requests.admin import PersonDataProtectionAdminMixin
from participants.documents import DocumentType
from participants.identity.records import identity_record_add
from participants.models import Person, RecordSource
from participants.services import person_keys
from registry.admin.person_contact_consent import PersonContactConsentAdminMixin
from registry.admin.person_find import PersonFindForm, person_find_matches, person_shows_values
from registry.admin.person_form import PersonAdminForm
from registry.admin.person_inlines import (
    EnrollmentInline,
    IdentityRecordInline,
    SourceRecordInline,
)
from registry.admin.read_only import NoDeleteMixin

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


def _seen_field(name: str) -> Any:
    """A read-only display of a person's field for school staff: "oculto" for a value the
    registry holds but the user may not read, so that it never reads as "no registrado"."""
    field = Person._meta.get_field(name)
    if not isinstance(field, models.Field):  # a column of the person, not a relation
        raise TypeError(name)

    @admin.display(description=field.verbose_name)
    def shown(self: admin.ModelAdmin[Person], obj: Person) -> str:
        if name in getattr(obj, "hidden_fields", ()):
            return HIDDEN
        return str(display_for_field(getattr(obj, name), field, self.get_empty_value_display()))

    return shown


SEEN_FIELDS = {name: f"seen_{name}" for name in sorted(IDENTITY_FIELDS)}


def _dni_replaced(form: Any, person: Person) -> str:
    """The DNI this change corrects: the one the form started from, if the DNI changed.

    A correction replaces the value it corrects; without this the old and the new DNI
    would read as two documents and put the person in the split queue."""
    if not {"document_number", "document_type"} & set(form.changed_data):
        return ""
    before_type = form.initial.get("document_type", DocumentType.DNI)
    before = str(form.initial.get("document_number") or "")
    if before_type != DocumentType.DNI or not before or before == person.document_number:
        return ""
    return before


@admin.register(Person)
class PersonAdmin(
    SchoolScopedAdminMixin,
    PersonDataProtectionAdminMixin,
    PersonContactConsentAdminMixin,
    NoDeleteMixin,
    admin.ModelAdmin,
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

    # School staff read persons as `accounts.access.personal_data.persons_as_seen_by` shows
    # them: their list has no filter, sort or column on values they may not read (a filter by
    # sex or a sort by surname would tell what the page withholds).
    def get_list_display(self, request: HttpRequest) -> Any:
        if is_registry_admin(request.user):
            return super().get_list_display(request)
        return ("code", "seen_name", "seen_sex", "seen_document_number", "status")

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
        # School staff only view persons: each personal value as they may read it.
        return (
            (None, {"fields": ("code", "status", "seen_name")}),
            *(
                (title, {**options, "fields": [SEEN_FIELDS.get(f, f) for f in options["fields"]]})
                for title, options in fieldsets[1:]
            ),
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)
        if is_registry_admin(request.user):
            return readonly
        return (*readonly, "seen_name", *SEEN_FIELDS.values())

    seen_given_names = _seen_field("given_names")
    seen_paternal_surname = _seen_field("paternal_surname")
    seen_maternal_surname = _seen_field("maternal_surname")
    seen_sex = _seen_field("sex")
    seen_birth_date = _seen_field("birth_date")
    seen_document_type = _seen_field("document_type")
    seen_document_number = _seen_field("document_number")
    seen_email = _seen_field("email")
    seen_phone = _seen_field("phone")

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
            identity_record_add(
                person=obj,
                source=RecordSource.CORRECTION,
                actor=actor,
                replaces_dni=_dni_replaced(form, obj),
            )

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
