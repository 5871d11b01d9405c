from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import SchoolScopedAdminMixin
from assessments.models import Score


@admin.register(Score)
class ScoreAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    list_display = ("person_code", "enrollment", "phase", "raw_score", "scale_max", "percent")
    list_filter = ("phase", "enrollment__cohort__course")
    search_fields = ("=enrollment__person__code",)
    readonly_fields = ("percent",)
    raw_id_fields = ("enrollment",)
    list_select_related = ("enrollment__person", "enrollment__cohort__course")

    @admin.display(description=_("participant code"), ordering="enrollment__person__code")
    def person_code(self, obj: Score) -> str:
        return obj.enrollment.person.code
