from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from accounts.access.rows import denied_access_record
from accounts.access.sensitive import can_see_participations_in
from accounts.access.user_scope import is_registry_admin
from accounts.admin_scoping import SchoolScopedAdminMixin
from assessments.models import Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import (
    MEASUREMENTS,
    Cohort,
    ColumnProfile,
    Course,
    Enrollment,
    Indicator,
    School,
)
from intake.admin_import import RosterImportAdminMixin
from intake.roster_import.profiles import column_profile_delete


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name")
    search_fields = ("acronym", "name")


class SensitivityAuditMixin:
    """A change of the `sensitive` flag decides who may see a course's participations
    (`accounts.access.sensitive`), so it is audited like a change of role: who, which row,
    before and after."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if "sensitive" in form.changed_data or (not change and obj.sensitive):
            audit_record(
                actor=request.user,
                action=AuditAction.SENSITIVITY_CHANGE,
                obj=obj,
                details={
                    "model": obj._meta.label_lower,
                    "name": str(obj),
                    "sensitive": obj.sensitive,
                    "before": form.initial.get("sensitive", False) if change else None,
                },
                request=request,
            )


@admin.register(Indicator)
class IndicatorAdmin(SensitivityAuditMixin, admin.ModelAdmin):
    """The logframe's indicators. They are reference data: `load_reference_data` sets them
    from `fixtures/reference/` again, so a lasting change belongs in those files (the
    sensitivity of 2.4.3.7 is there too)."""

    list_display = (
        "code",
        "level",
        "kind",
        "name",
        "target",
        "reported_participations",
        "sensitive",
    )
    list_filter = ("level", "kind", "participant_group", "sensitive")
    search_fields = ("code", "name", "text")
    fieldsets = (
        (None, {"fields": ("level", "code", "kind", "participant_group", "unit")}),
        (_("Texts"), {"fields": ("name", "text")}),
        (
            _("Published values"),
            {
                "fields": (
                    "baseline",
                    "target",
                    "mid_term",
                    *MEASUREMENTS,
                    "reference_period",
                    "achievement_pct",
                )
            },
        ),
        (_("Reported participations"), {"fields": ("reported_participations", "reported_period")}),
        (_("Data protection"), {"fields": ("sensitive",)}),
    )


@admin.register(Course)
class CourseAdmin(SensitivityAuditMixin, admin.ModelAdmin):
    """A course counts toward its participant output indicators and its tests measure its
    knowledge indicator; the form offers only indicators of those kinds. A course is
    sensitive when marked so or when it counts toward a sensitive indicator."""

    list_display = (
        "title",
        "component",
        "provider",
        "output_codes",
        "knowledge_indicator_code",
        "sensitive",
        "sensitive_through_indicator",
    )
    list_filter = ("component", "indicators", "knowledge_indicator", "sensitive")
    search_fields = ("title", "provider")
    fields = ("title", "component", "provider", "indicators", "knowledge_indicator", "sensitive")
    filter_horizontal = ("indicators",)
    list_select_related = ("knowledge_indicator",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Course]:
        return super().get_queryset(request).prefetch_related("indicators")

    @admin.display(description=_("participant output indicators"))
    def output_codes(self, obj: Course) -> str:
        return ", ".join(indicator.code for indicator in obj.indicators.all())

    @admin.display(description=_("sensitive through an indicator"), boolean=True)
    def sensitive_through_indicator(self, obj: Course) -> bool:
        return any(indicator.sensitive for indicator in obj.indicators.all())

    @admin.display(description=_("knowledge indicator"), ordering="knowledge_indicator__code")
    def knowledge_indicator_code(self, obj: Course) -> str:
        return obj.knowledge_indicator.code if obj.knowledge_indicator else ""


@admin.register(Cohort)
class CohortAdmin(SchoolScopedAdminMixin, RosterImportAdminMixin, admin.ModelAdmin):
    list_display = (
        "label",
        "course",
        "start_date",
        "end_date",
        "region",
        "modality",
        "school",
        "participant_count",
    )
    list_filter = ("modality", "course__component", "region", "school", "start_date")
    search_fields = ("label", "course__title")
    date_hierarchy = "start_date"
    list_select_related = ("course", "region", "school")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Cohort]:
        # One grouped count with the page's query, not one query per cohort shown. A grouped
        # query drops the model's Meta.ordering: it is given again (with the key last), so
        # that the pages of the cohort autocomplete neither repeat nor skip a cohort.
        return (
            super()
            .get_queryset(request)
            .annotate(enrolled=Count("enrollments"))
            .order_by("-start_date", "label", "pk")
        )

    @admin.display(description=_("participants"), ordering="enrolled")
    def participant_count(self, obj: Cohort) -> int:
        return int(getattr(obj, "enrolled", 0))

    def import_roster_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        # A roster's preview names its rows and the registered persons they link to: who
        # may not see a cohort's participations may not import its list either.
        cohort = Cohort.objects.filter(pk=object_id).first() if object_id.isdigit() else None
        if cohort is not None and not can_see_participations_in(request.user, cohort):
            denied_access_record(request, Cohort, object_id)
            raise PermissionDenied
        return super().import_roster_view(request, object_id)


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    fields = ("phase", "raw_score", "scale_max", "percent")
    readonly_fields = ("percent",)


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    list_display = ("person_code", "cohort", "institution", "role", "region", "repeated_in_roster")
    list_filter = ("cohort__course", "institution", "role", "region", "repeated_in_roster")
    search_fields = ("=person__code", "cohort__label", "institution_text", "role_text")
    list_select_related = ("person", "cohort__course", "institution", "role", "region")
    raw_id_fields = ("person", "cohort")
    inlines = (ScoreInline,)

    @admin.display(description=_("participant code"), ordering="person__code")
    def person_code(self, obj: Enrollment) -> str:
        return obj.person.code

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ColumnProfile)
class ColumnProfileAdmin(admin.ModelAdmin):
    """The roster headers each school or provider had mapped in an import's preview. They
    are mapped there, not here; deleting one here lists that column as unread again."""

    list_display = ("header", "field", "owner", "updated_by", "updated_at")
    list_filter = ("field", "school")
    search_fields = ("header", "provider", "school__acronym")
    fields = ("school", "provider", "header", "header_key", "field", "updated_by", "updated_at")
    readonly_fields = fields

    @admin.display(description=_("school or provider"))
    def owner(self, obj: ColumnProfile) -> str:
        return obj.owner_label

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Registry administrators only: a profile names a school's partners and layouts.
        return is_registry_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_registry_admin(request.user)

    def delete_model(self, request: HttpRequest, obj: ColumnProfile) -> None:
        column_profile_delete(profile=obj, actor=request.user)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[ColumnProfile]) -> None:
        for profile in queryset:
            column_profile_delete(profile=profile, actor=request.user)  # type: ignore[arg-type]
