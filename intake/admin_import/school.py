"""The school's roster import page: "Importar lista" on its cohort page (/schools/...).

The same steps as the admin's page (`pages`), over the same kept previews and the same
`roster_import`, which audits the preview's look-ups and the import itself and, for an actor
who is not a registry administrator, shows the rows as `school_view` says (nothing of
another school's persons). Only the page around them differs: the school's layout, and no
link to the review queue (school staff do not review; they are told who does).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from accounts.access.rows import cohorts_visible_to
from accounts.access.sensitive import can_see_participations_in
from accounts.access.user_scope import can_manage_cohort, is_school_staff
from courses.models import Cohort
from intake.admin_import.pages import IMPORT_PERMISSION, RosterImportPages


class SchoolRosterImport(RosterImportPages):
    def _import_url(self, cohort: Cohort) -> str:
        return reverse("registration:import_roster", args=[cohort.pk])

    def _cohort_url(self, cohort: Cohort) -> str:
        return reverse("registration:cohort", args=[cohort.pk])

    def _render(self, request: HttpRequest, cohort: Cohort, **context: Any) -> HttpResponse:
        return render(
            request,
            "intake/import/school_roster_import.html",
            {**self._page_context(request, cohort), **context},
        )


def school_may_import(user: Any, cohort: Cohort) -> bool:
    """School staff holding the import permission, into a cohort of their own school whose
    participants they may see (a sensitive course's cohort only if their school ran it)."""
    return (
        is_school_staff(user)
        and user.has_perm(IMPORT_PERMISSION)
        and can_manage_cohort(user, cohort)
        and can_see_participations_in(user, cohort)
    )


@login_required
def school_import_roster(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = cohorts_visible_to(request.user).select_related("course", "school").filter(pk=pk)
    found = cohort.first()
    if found is None or not school_may_import(request.user, found):
        # Refused alike whether the cohort exists or not, so that the answer tells nothing of
        # other schools' cohorts; the 403 is audited with its path (audit.middleware).
        raise PermissionDenied
    return SchoolRosterImport()._import_page(request, found)
