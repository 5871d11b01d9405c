"""The confirmation of a preview: the same kept bytes imported for real, once."""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from courses.models import Cohort
from intake.admin_import.forms import ColumnMappingForm, RosterConfirmForm, scale_value
from intake.admin_import.mapping import EXPIRED
from intake.roster_import import RosterFileError, roster_import
from intake.roster_import import previews as kept
from intake.roster_import.previews import SESSION_KEY, PreviewMissing
from intake.roster_import.report import ImportReport

# The name of the preview's "Importar solo las filas válidas" button.
VALID_ONLY = "valid_only"


class _RendersPreviews(Protocol):
    """What the confirm step needs of the admin it is mixed into (`RosterImportAdminMixin`)."""

    def _render(self, request: HttpRequest, cohort: Cohort, **context: Any) -> HttpResponse: ...

    def _keep(
        self,
        request: HttpRequest,
        *,
        cohort: Cohort,
        report: ImportReport,
        data: bytes | None,
        upload: dict[str, Any],
    ) -> str: ...

    def _render_preview(
        self,
        request: HttpRequest,
        cohort: Cohort,
        *,
        token: str,
        preview: dict[str, Any],
        confirm_form: RosterConfirmForm | None = None,
        mapping_form: ColumnMappingForm | None = None,
    ) -> HttpResponse: ...


class ConfirmationMixin:
    """The confirm step of the cohort admin's roster import."""

    def _confirm_form(self, token: str, upload: dict[str, Any]) -> RosterConfirmForm | None:
        if not (upload.get("confirmable") or upload.get("valid_only")):
            return None
        return RosterConfirmForm(
            inferred=upload.get("inferred"),
            in_file=upload.get("in_file"),
            initial={
                "token": token,
                "pre_scale": upload.get("pre_scale", ""),
                "post_scale": upload.get("post_scale", ""),
            },
        )

    def _confirm(self: _RendersPreviews, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        form = RosterConfirmForm(request.POST)
        uploads = kept.session_previews(request)
        token = request.POST.get("token", "")
        upload = uploads.get(token) if form.is_valid() else None
        # "Importar solo las filas válidas": the same kept file, its rejected rows left out,
        # as a new upload with "importar igualmente las filas válidas" ticked would have it.
        valid_only = VALID_ONLY in request.POST
        if (
            upload is None
            or upload["cohort"] != cohort.pk
            or not (upload.get("confirmable") or (valid_only and upload.get("valid_only")))
        ):
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(request.path)
        try:
            data = kept.preview_read_file(name=upload["name"])
        except PreviewMissing:
            data = b""
        finally:
            # A token is used once, whatever happens next.
            uploads.pop(token, None)
            request.session[SESSION_KEY] = uploads
            kept.preview_delete(name=upload["name"])
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
                commit_valid=upload["commit_valid"] or valid_only,
                pre_scale=scale_value(form.cleaned_data["pre_scale"]),
                post_scale=scale_value(form.cleaned_data["post_scale"]),
            )
        except RosterFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        level = messages.ERROR if report.failed else messages.SUCCESS
        messages.add_message(request, level, report.summary())
        if not report.rows:
            return self._render(request, cohort, preview=report.preview_data())
        # The result is paged like the preview, from its own kept rows.
        token = self._keep(
            request,
            cohort=cohort,
            report=report,
            data=None,
            upload={"file_name": upload["file_name"], "confirmable": False},
        )
        return self._render_preview(request, cohort, token=token, preview=report.preview_data())
