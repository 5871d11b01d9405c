from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from accounts.access import SchoolScopedAdminMixin
from assessments.models import Score
from courses.admin_import import RosterImportAdminMixin
from courses.models import Cohort, Course, Enrollment, Indicator, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("acronym", "name")
    search_fields = ("acronym", "name")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "description", "target")
    search_fields = ("code", "description")


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "component", "provider")
    list_filter = ("component", "indicators")
    search_fields = ("title", "provider")
    filter_horizontal = ("indicators",)


@admin.register(Cohort)
class CohortAdmin(SchoolScopedAdminMixin, RosterImportAdminMixin, admin.ModelAdmin):
    list_display = ("label", "course", "start_date", "end_date", "region", "modality", "school")
    list_filter = ("modality", "course__component", "region", "school")
    search_fields = ("label", "course__title")
    date_hierarchy = "start_date"
    list_select_related = ("course", "region", "school")


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

    @admin.display(description="participant code", ordering="person__code")
    def person_code(self, obj: Enrollment) -> str:
        return obj.person.code

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
