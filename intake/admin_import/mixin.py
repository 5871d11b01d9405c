"""The admin's roster import page: the cohort admin's "Importar lista", over the steps of
`pages` (upload and preview, the preview's pages, the confirmation, the column mapping)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse

from courses.models import Cohort
from intake.admin_import.pages import IMPORT_PERMISSION, RosterImportPages

if TYPE_CHECKING:
    # django-stubs' name for what a template attribute may hold (a name, names, a template).
    from django.template.response import _TemplateForResponseT


class RosterImportAdminMixin(RosterImportPages):
    """Adds "Importar lista" to a cohort's admin page, for users with the import permission."""

    # Typed as ModelAdmin declares them, so that the admin this is mixed into agrees.
    change_form_template: ClassVar[_TemplateForResponseT | None] = (
        "intake/import/cohort_change_form.html"
    )
    actions: Sequence[Callable[..., Any] | str] | None = ["import_roster_action"]

    admin_site: admin.AdminSite

    def has_import_roster_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(IMPORT_PERMISSION)

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path(
                "<path:object_id>/import-roster/",
                self.admin_site.admin_view(self.import_roster_view),
                name="courses_cohort_import_roster",
            )
        ]
        return urls + super().get_urls()  # type: ignore[misc]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_import_roster": self.has_import_roster_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    @admin.action(description="Importar lista de participantes", permissions=["import_roster"])
    def import_roster_action(self, request: HttpRequest, queryset: QuerySet[Cohort]) -> Any:
        if queryset.count() != 1:
            self.message_user(  # type: ignore[attr-defined]
                request, "Seleccione una sola cohorte para importar su lista.", messages.WARNING
            )
            return None
        cohort = queryset.get()
        return HttpResponseRedirect(reverse("admin:courses_cohort_import_roster", args=[cohort.pk]))

    def import_roster_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_import_roster_permission(request):
            raise PermissionDenied
        cohort = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if cohort is None:
            raise Http404("Cohorte no encontrada")
        return self._import_page(request, cohort)

    def _import_url(self, cohort: Cohort) -> str:
        return reverse("admin:courses_cohort_import_roster", args=[cohort.pk])

    def _cohort_url(self, cohort: Cohort) -> str:
        return reverse("admin:courses_cohort_change", args=[cohort.pk])

    def _render(self, request: HttpRequest, cohort: Cohort, **context: Any) -> HttpResponse:
        opts = cohort._meta
        return render(
            request,
            "intake/import/roster_import.html",
            {
                **self.admin_site.each_context(request),
                **self._page_context(request, cohort),
                "opts": opts,
                "original": cohort,
                "title": f"Importar lista: {cohort}",
                **context,
            },
        )
