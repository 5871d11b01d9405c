"""The roster import in the Cohort admin: upload, preview every row, then confirm.

The admin only carries the file between the two steps; `roster_import` does the work, once
as a dry run for the preview and once for real. Between the steps the uploaded bytes wait in
django-import-export's temporary-folder storage; the user's session holds a random token
that maps to that file and its SHA-256, so a user can only confirm a file they uploaded and
exactly the bytes they previewed.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from import_export.tmp_storages import TempFolderStorage

from courses.models import Cohort
from courses.roster_import import RosterFileError, roster_import
from courses.roster_import.committing import read_upload
from courses.roster_import.report import OUTCOME_LABELS, ImportReport

IMPORT_PERMISSION = "courses.import_roster"
SESSION_KEY = "roster_import_uploads"

SCALE_CHOICES = [("", "Inferir de las notas"), ("20", "0 a 20"), ("100", "0 a 100")]


class RosterUploadForm(forms.Form):
    file = forms.FileField(label="Lista de participantes (CSV o XLSX)")
    commit_valid = forms.BooleanField(
        required=False,
        label="Si hay filas rechazadas, importar igualmente las filas válidas",
    )
    pre_scale = forms.ChoiceField(
        choices=SCALE_CHOICES, required=False, label="Escala del pre-test"
    )
    post_scale = forms.ChoiceField(
        choices=SCALE_CHOICES, required=False, label="Escala del post-test"
    )


class RosterConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    commit_valid = RosterUploadForm.base_fields["commit_valid"]
    pre_scale = RosterUploadForm.base_fields["pre_scale"]
    post_scale = RosterUploadForm.base_fields["post_scale"]


def _forget_uploads(uploads: dict[str, Any], *, cohort: int) -> dict[str, Any]:
    """Drop (and delete the files of) earlier previews of the same cohort by this user."""
    kept = {}
    for token, upload in uploads.items():
        if upload["cohort"] == cohort:
            with contextlib.suppress(OSError):
                TempFolderStorage(name=upload["name"]).remove()
        else:
            kept[token] = upload
    return kept


def _scale(value: str) -> int | None:
    return int(value) if value else None


class RosterImportAdminMixin:
    """Adds "Importar lista" to a cohort's admin page, for users with the import permission."""

    change_form_template = "courses/import/cohort_change_form.html"
    actions = ["import_roster_action"]

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
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, cohort)
        if request.method == "POST":
            return self._preview(request, cohort)
        return self._render(request, cohort, upload_form=RosterUploadForm())

    def _preview(self, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, cohort, upload_form=form)
        upload = form.cleaned_data["file"]
        try:
            data = read_upload(upload, file_name=upload.name)
            report = roster_import(
                file=data,
                file_name=upload.name,
                cohort=cohort,
                actor=request.user,  # type: ignore[arg-type]
                dry_run=True,
                commit_valid=form.cleaned_data["commit_valid"],
                pre_scale=_scale(form.cleaned_data["pre_scale"]),
                post_scale=_scale(form.cleaned_data["post_scale"]),
            )
        except RosterFileError as error:
            form.add_error("file", str(error))
            return self._render(request, cohort, upload_form=form)
        confirm_form = None
        if report.status not in ("already_imported", "nothing_new"):
            storage = TempFolderStorage(read_mode="rb")
            storage.save(data)
            token = secrets.token_urlsafe(24)
            uploads = _forget_uploads(request.session.get(SESSION_KEY, {}), cohort=cohort.pk)
            uploads[token] = {
                "name": storage.name,
                "file_name": upload.name,
                "sha256": report.sha256,
                "cohort": cohort.pk,
            }
            request.session[SESSION_KEY] = uploads
            confirm_form = RosterConfirmForm(
                initial={
                    "token": token,
                    "commit_valid": form.cleaned_data["commit_valid"],
                    "pre_scale": f"{report.pre_scale:g}" if report.pre_scale else "",
                    "post_scale": f"{report.post_scale:g}" if report.post_scale else "",
                }
            )
        return self._render(request, cohort, report=report, confirm_form=confirm_form)

    def _confirm(self, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        form = RosterConfirmForm(request.POST)
        uploads = request.session.get(SESSION_KEY, {})
        upload = uploads.get(request.POST.get("token", "")) if form.is_valid() else None
        if upload is None or upload["cohort"] != cohort.pk:
            messages.error(
                request, "La vista previa caducó o no es válida: suba el archivo otra vez."
            )
            return HttpResponseRedirect(request.path)
        storage = TempFolderStorage(name=upload["name"], read_mode="rb")
        try:
            data = storage.read()
        except OSError:
            data = b""
        finally:
            uploads.pop(form.cleaned_data["token"], None)
            request.session[SESSION_KEY] = uploads
        if hashlib.sha256(data).hexdigest() != upload["sha256"]:
            messages.error(
                request, "El archivo de la vista previa ya no está disponible: súbalo otra vez."
            )
            return HttpResponseRedirect(request.path)
        try:
            report = roster_import(
                file=data,
                file_name=upload["file_name"],
                cohort=cohort,
                actor=request.user,  # type: ignore[arg-type]
                commit_valid=form.cleaned_data["commit_valid"],
                pre_scale=_scale(form.cleaned_data["pre_scale"]),
                post_scale=_scale(form.cleaned_data["post_scale"]),
            )
        except RosterFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        finally:
            with contextlib.suppress(OSError):
                storage.remove()
        level = messages.ERROR if report.failed else messages.SUCCESS
        messages.add_message(request, level, report.summary())
        return self._render(request, cohort, report=report)

    def _render(self, request: HttpRequest, cohort: Cohort, **context: Any) -> HttpResponse:
        report: ImportReport | None = context.get("report")
        opts = cohort._meta
        return render(
            request,
            "courses/import/roster_import.html",
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "original": cohort,
                "cohort": cohort,
                "title": f"Importar lista: {cohort}",
                "outcome_labels": OUTCOME_LABELS,
                "counts": report.counts if report else {},
                "scale_lines": report.scale_lines() if report else [],
                **context,
            },
        )
