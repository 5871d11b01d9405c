"""A throw-away admin site whose classes use SchoolScopedAdminMixin the way the lead will add
it to CohortAdmin, EnrollmentAdmin, PersonAdmin and ScoreAdmin (one base class each)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from accounts.admin_scoping import SchoolScopedAdminMixin, SchoolScopedInlineMixin
from assessments.models import Score
from courses.models import Cohort, Enrollment
from participants.models import Person

site = admin.AdminSite(name="scoped")


class EnrollmentInline(SchoolScopedInlineMixin, admin.TabularInline):
    model = Enrollment
    fields = ("cohort",)
    extra = 0


@admin.register(Cohort, site=site)
class CohortAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    list_display = ("label", "school")
    fields = ("course", "label", "school")


@admin.register(Enrollment, site=site)
class EnrollmentAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    fields = ("person", "cohort")
    raw_id_fields = ("person",)


@admin.register(Person, site=site)
class PersonAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "paternal_surname")
    search_fields = ("=document_number", "paternal_surname")
    fields = ("given_names", "paternal_surname")
    inlines = (EnrollmentInline,)


@admin.register(Score, site=site)
class ScoreAdmin(SchoolScopedAdminMixin, admin.ModelAdmin):
    fields = ("enrollment", "phase", "raw_score", "scale_max")


urlpatterns = [path("scoped/", site.urls)]

# The site's own URLs too: base templates and context processors reverse them.
from registry.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns += site_urlpatterns
