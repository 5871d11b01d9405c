"""What the person's admin page shows beneath the person: enrollments, the roster rows that
described them and every identity record, all read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.access.rows import identity_records_visible_to
from accounts.access.user_scope import is_registry_admin
from accounts.admin_scoping import SchoolScopedInlineMixin
from courses.minors import enrollment_minor_status
from courses.models import Enrollment, SourceRecord
from participants.models import IdentityRecord
from registry.admin.provenance import SourceRecordCellsMixin
from registry.admin.read_only import NoDeleteMixin, ReadOnlyMixin


class EnrollmentInline(SchoolScopedInlineMixin, NoDeleteMixin, admin.TabularInline):
    model = Enrollment
    extra = 0
    fields = (
        "cohort",
        "institution",
        "institution_text",
        "role",
        "role_text",
        "region",
        "minor",
    )
    readonly_fields = fields
    show_change_link = True

    @admin.display(description=_("minor at the training"))
    def minor(self, obj: Enrollment) -> str:
        # Derived each time (courses.minors): the birth date, when known, wins over what a
        # roster stated, so a corrected birth date corrects the flag.
        return enrollment_minor_status(obj).describe()

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SourceRecordInline(
    SourceRecordCellsMixin, SchoolScopedInlineMixin, ReadOnlyMixin, admin.TabularInline
):
    model = SourceRecord
    fk_name = "person"
    extra = 0
    fields = ("batch", "row_number", "outcome", "cells", "flagged")
    readonly_fields = fields


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

    def get_queryset(self, request: HttpRequest) -> QuerySet[IdentityRecord]:
        # A record a hidden roster row made names that row, and so its sensitive cohort.
        visible = identity_records_visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)
