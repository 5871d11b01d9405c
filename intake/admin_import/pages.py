"""The steps of the roster import page, shared by the cohort's admin page (`mixin`) and the
school's cohort page (`school`): upload and preview, the preview's pages, the confirmation
(`confirming`) and the mapping of unread columns (`mapping`).

Both pages run the same steps over the same kept previews; each says only where it lives
(`_import_url`, `_cohort_url`) and how it is drawn (`_render`). Who may use a page is the
page's own check, made before `_import_page`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from accounts.access.user_scope import is_registry_admin
from courses.models import Cohort
from intake.admin_import.confirming import ConfirmationMixin
from intake.admin_import.forms import (
    ColumnMappingForm,
    RosterConfirmForm,
    RosterUploadForm,
    file_scales,
    inferred_scales,
    scale_value,
)
from intake.admin_import.mapping import (
    EXPIRED,
    ColumnMappingMixin,
    mappable_columns,
    profile_owner_label,
)
from intake.roster_import import RosterFileError, roster_import
from intake.roster_import import previews as kept
from intake.roster_import import report as outcomes
from intake.roster_import.committing import read_upload
from intake.roster_import.preview_page import preview_page
from intake.roster_import.previews import SESSION_KEY, PreviewFolderUnsafe, PreviewMissing
from intake.roster_import.report import ImportReport
from participants.models import Person
from review.views import REVIEW_PERMISSION

IMPORT_PERMISSION = "courses.import_roster"


def valid_rows_only(report: ImportReport) -> bool:
    """Whether the preview refuses the file for its rejected rows while others could be
    imported: then the same kept file may be confirmed with its valid rows only."""
    return report.status == outcomes.STATUS_REJECTED and any(
        row.outcome in outcomes.IMPORTED_OUTCOMES for row in report.rows
    )


class RosterImportPages(ConfirmationMixin, ColumnMappingMixin):
    """The import page's steps; the page that mixes this in supplies the three hooks."""

    def _import_url(self, cohort: Cohort) -> str:
        raise NotImplementedError

    def _cohort_url(self, cohort: Cohort) -> str:
        raise NotImplementedError

    def _render(self, request: HttpRequest, cohort: Cohort, **context: Any) -> HttpResponse:
        raise NotImplementedError

    def _import_page(self, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        """The page for a user already allowed to import into `cohort`."""
        # Abandoned previews (a closed browser, a session that ran out) go on every visit.
        try:
            kept.previews_expire()
        except PreviewFolderUnsafe as error:
            # No roster may be kept where another user could read or replace it.
            messages.error(
                request,
                f"No se puede importar ninguna lista por ahora: {error} "
                "Avise al administrador del servidor.",
            )
            return HttpResponseRedirect(self._cohort_url(cohort))
        if request.method == "POST" and "map_columns" in request.POST:
            return self._map_columns(request, cohort)
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, cohort)
        if request.method == "POST":
            return self._preview(request, cohort)
        if "preview" in request.GET:
            return self._show_kept(request, cohort)
        return self._render(request, cohort, upload_form=RosterUploadForm())

    def _preview(self, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, cohort, upload_form=form)
        upload = form.cleaned_data["file"]
        try:
            data = read_upload(upload, file_name=upload.name)
            return self._preview_file(
                request,
                cohort,
                data=data,
                file_name=upload.name,
                choices={
                    "commit_valid": form.cleaned_data["commit_valid"],
                    "pre_scale": form.cleaned_data["pre_scale"],
                    "post_scale": form.cleaned_data["post_scale"],
                },
            )
        except RosterFileError as error:
            form.add_error("file", str(error))
            return self._render(request, cohort, upload_form=form)

    def _preview_file(
        self,
        request: HttpRequest,
        cohort: Cohort,
        *,
        data: bytes,
        file_name: str,
        choices: dict[str, Any],
    ) -> HttpResponse:
        """A dry run of `data`, kept for its pages, its confirmation and its column mapping.
        `choices`: what the user chose at upload (commit_valid, pre_scale, post_scale)."""
        report = roster_import(
            file=data,
            file_name=file_name,
            cohort=cohort,
            actor=request.user,  # type: ignore[arg-type]
            dry_run=True,
            commit_valid=choices["commit_valid"],
            pre_scale=scale_value(choices["pre_scale"]),
            post_scale=scale_value(choices["post_scale"]),
        )
        self._forget(request, cohort=cohort)
        if not report.rows:  # already imported, or nothing new: nothing to page through
            return self._render(request, cohort, preview=report.preview_data())
        # Only a file the preview says will be imported (whole, or its valid rows only) can
        # be confirmed, and only a file with unread columns can be previewed again once they
        # are mapped: only then are its bytes kept. The preview's rows are kept either way,
        # for its pages.
        confirmable = report.imported
        valid_only = valid_rows_only(report)
        mappable = mappable_columns(report, cohort)
        token = self._keep(
            request,
            cohort=cohort,
            report=report,
            data=data if confirmable or valid_only or mappable else None,
            upload={
                "file_name": file_name,
                "sha256": report.sha256,
                "confirmable": confirmable,
                "valid_only": valid_only,
                "mappable": mappable,
                **choices,
                # What the user stated at upload is offered again; an inferred scale is not.
                "inferred": inferred_scales(report),
                "in_file": file_scales(report),
            },
        )
        upload = kept.session_previews(request)[token]
        return self._render_preview(
            request,
            cohort,
            token=token,
            preview=report.preview_data(),
            confirm_form=self._confirm_form(token, upload),
            mapping_form=self._mapping_form(token, upload),
        )

    def _show_kept(self, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        token = request.GET.get("preview", "")
        upload = kept.session_previews(request).get(token)
        try:
            if upload is None or upload["cohort"] != cohort.pk:
                raise PreviewMissing(token)
            preview = kept.preview_read(name=upload["name"])
        except PreviewMissing:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(request.path)
        return self._render_preview(
            request,
            cohort,
            token=token,
            preview=preview,
            confirm_form=self._confirm_form(token, upload),
            mapping_form=self._mapping_form(token, upload),
        )

    def _keep(
        self,
        request: HttpRequest,
        *,
        cohort: Cohort,
        report: ImportReport,
        data: bytes | None,
        upload: dict[str, Any],
    ) -> str:
        """Keep the preview's rows (and bytes) and map a new token of the session to them."""
        token = kept.token_new()
        uploads = kept.session_previews(request)
        uploads[token] = {
            **upload,
            "name": kept.preview_save(data=data, preview=report.preview_data()),
            "cohort": cohort.pk,
        }
        request.session[SESSION_KEY] = uploads
        return token

    def _forget(self, request: HttpRequest, *, cohort: Cohort) -> None:
        """Drop (and delete the files of) this user's earlier previews of the same cohort."""
        uploads = kept.session_previews(request)
        stale = [token for token, upload in uploads.items() if upload["cohort"] == cohort.pk]
        kept.previews_delete(names=[uploads.pop(token)["name"] for token in stale])
        request.session[SESSION_KEY] = uploads

    def _render_preview(
        self,
        request: HttpRequest,
        cohort: Cohort,
        *,
        token: str,
        preview: dict[str, Any],
        confirm_form: RosterConfirmForm | None = None,
        mapping_form: ColumnMappingForm | None = None,
    ) -> HttpResponse:
        shown = preview_page(
            preview=preview, outcome=request.GET.get("outcome"), page=request.GET.get("page", 1)
        )
        return self._render(
            request,
            cohort,
            preview=preview,
            token=token,
            shown=shown,
            person_names=self._person_names(request, shown),
            confirm_form=confirm_form,
            mapping_form=mapping_form,
            profile_owner=profile_owner_label(cohort),
        )

    def _person_names(self, request: HttpRequest, shown: Any) -> dict[str, str]:
        """Code -> name of the registered persons on the page, for registry administrators
        only: school staff see their own file's cells, never a registered person's details."""
        if shown.page is None or not is_registry_admin(request.user):
            return {}
        codes = {row["person_code"] for row in shown.page.object_list if row["person_code"]}
        persons = Person.objects.filter(code__in=codes).only(
            "code", "given_names", "paternal_surname", "maternal_surname"
        )
        return {person.code: person.full_name for person in persons}

    def _page_context(self, request: HttpRequest, cohort: Cohort) -> dict[str, Any]:
        """What the shared template needs of the page that draws it."""
        return {
            "cohort": cohort,
            "import_url": self._import_url(cohort),
            "cohort_url": self._cohort_url(cohort),
            # Only reviewers get a link to the queue; school staff are told who reviews.
            "can_review": is_registry_admin(request.user)
            and request.user.has_perm(REVIEW_PERMISSION),
        }
