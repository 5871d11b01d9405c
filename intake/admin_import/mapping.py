"""Mapping a preview's unread columns: remembered for the cohort's school or provider.

A preview lists the columns it left unread. The user may say what each holds (a field, or
"do not import"); the answer is kept in the column profile of the cohort's school (or, for
a cohort without one, of its course's provider), and the same kept file is previewed again,
now read with it. The next file of the same layout is read the same way without asking.
"""

from __future__ import annotations

import hashlib
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from courses.models import Cohort
from courses.roster_fields import FIELD_LABELS, IGNORE
from intake.admin_import.forms import ColumnMappingForm
from intake.roster_import import RosterFileError
from intake.roster_import import previews as kept
from intake.roster_import.previews import SESSION_KEY, PreviewMissing
from intake.roster_import.profiles import (
    ColumnProfileError,
    column_profile_set,
    profile_owner,
)
from intake.roster_import.report import ImportReport

EXPIRED = "La vista previa caducó o no es válida: suba el archivo otra vez."


def profile_owner_label(cohort: Cohort) -> str:
    """Whose column profile the cohort's rosters use, as the user knows it; "" for none."""
    school, provider = profile_owner(cohort)
    if school is not None:
        return school.acronym
    return cohort.course.provider if provider else ""


def mappable_columns(report: ImportReport, cohort: Cohort) -> list[dict[str, str]]:
    """The preview's unread columns a user may map: only where a profile can keep them."""
    if not profile_owner_label(cohort):
        return []
    return [
        {"column": item["column"], "header": item["header"]}
        for item in report.columns.get("unread", [])
    ]


class _PreviewsFiles(Protocol):
    """What the mapping step needs of the admin it is mixed into (`RosterImportAdminMixin`)."""

    def _preview_file(
        self,
        request: HttpRequest,
        cohort: Cohort,
        *,
        data: bytes,
        file_name: str,
        choices: dict[str, Any],
    ) -> HttpResponse: ...


class ColumnMappingMixin:
    """The mapping step of the cohort admin's roster import (see the module)."""

    def _mapping_form(self, token: str, upload: dict[str, Any]) -> ColumnMappingForm | None:
        if not upload.get("mappable"):
            return None
        return ColumnMappingForm(columns=upload["mappable"], initial={"token": token})

    def _map_columns(self: _PreviewsFiles, request: HttpRequest, cohort: Cohort) -> HttpResponse:
        uploads = kept.session_previews(request)
        token = request.POST.get("token", "")
        upload = uploads.get(token)
        if upload is None or upload["cohort"] != cohort.pk or not upload.get("mappable"):
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(request.path)
        form = ColumnMappingForm(request.POST, columns=upload["mappable"])
        try:
            data = kept.preview_read_file(name=upload["name"])
        except PreviewMissing:
            data = b""
        if not form.is_valid() or hashlib.sha256(data).hexdigest() != upload["sha256"]:
            messages.error(request, EXPIRED)
            return HttpResponseRedirect(request.path)
        chosen = form.chosen()
        try:
            for header, field in chosen:
                column_profile_set(
                    cohort=cohort,
                    header=header,
                    field=field,
                    actor=request.user,  # type: ignore[arg-type]
                )
        except ColumnProfileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(f"{request.path}?preview={token}")
        if chosen:
            messages.success(request, _mapped_message(chosen, profile_owner_label(cohort)))
        # The token is used once: the file is previewed again under a new one.
        uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
        try:
            return self._preview_file(
                request,
                cohort,
                data=data,
                file_name=upload["file_name"],
                choices={
                    "commit_valid": upload["commit_valid"],
                    "pre_scale": upload["pre_scale"],
                    "post_scale": upload["post_scale"],
                },
            )
        except RosterFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(request.path)
        finally:
            kept.preview_delete(name=upload["name"])


def _mapped_message(chosen: list[tuple[str, str]], owner: str) -> str:
    columns = "; ".join(
        _("«%(header)s», not to import") % {"header": header}
        if field == IGNORE
        else _("«%(header)s» as %(field)s") % {"header": header, "field": FIELD_LABELS[field]}
        for header, field in chosen
    )
    return _(
        "Columns mapped: %(columns)s. The next files of %(owner)s with these columns are read "
        "the same way."
    ) % {"columns": columns, "owner": owner}
