"""The page that imports a wave's responses: upload, preview, confirm (registry
administrators only).

Between preview and confirmation the uploaded bytes wait in the roster import's private
preview folder (the same rules: never longer than a session, a random name the session maps
a token to); the confirmation imports those same bytes, checked by their hash, once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.access.user_scope import is_registry_admin
from followup.models import SurveyWave
from followup.responses import ResponsePreview, responses_import
from followup.responses.preview import OUTCOME_LABELS
from followup.waves import wave_open_for
from intake.roster_import import previews as kept
from intake.roster_import.committing import read_upload
from intake.roster_import.previews import PreviewFolderUnsafe, PreviewMissing
from spreadsheets.reading import RosterFileError

SESSION_KEY = "survey_response_uploads"
EXPIRED = (
    "La vista previa ya no está disponible (caducó o ya se confirmó). Suba el archivo otra vez."
)


class ResponseUploadForm(forms.Form):
    file = forms.FileField(label="Archivo de respuestas (CSV o XLSX)")


class ResponseConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in registry administrators only: others get 403, anonymous visitors sign in."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_registry_admin(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


@admin_required
def wave_list(request: HttpRequest) -> HttpResponse:
    """The waves are listed once, on the follow-up page; each drawn wave links its import."""
    return redirect("followup:list")


def _uploads(request: HttpRequest) -> dict[str, dict[str, Any]]:
    uploads: dict[str, dict[str, Any]] = request.session.get(SESSION_KEY, {})
    return uploads


def _rows(preview: ResponsePreview) -> list[dict[str, Any]]:
    return [
        {
            "row_number": row.row_number,
            "outcome": str(row.outcome),
            "label": row.label,
            "key": row.key,
            "person_code": row.person_code,
            "answers": row.answers,
            "reason": row.reason,
            "problems": [{"column": p.column, "problem": p.problem} for p in row.problems],
            "notes": row.notes,
        }
        for row in preview.rows
    ]


def _context(preview: ResponsePreview) -> dict[str, Any]:
    return {
        "preview": preview,
        "rows": _rows(preview),
        "counts": [
            {"outcome": str(outcome), "label": OUTCOME_LABELS[outcome], "count": count}
            for outcome, count in preview.counts.items()
        ],
        "importable": bool(preview.to_import),
    }


@admin_required
def wave_import(request: HttpRequest, wave_id: int) -> HttpResponse:
    wave = wave_open_for(request.user, wave_id)
    page = reverse("followup_responses:import", args=[wave.pk])
    try:
        kept.previews_expire()
    except PreviewFolderUnsafe as error:
        messages.error(request, f"No se pueden importar respuestas por ahora: {error}")
        return HttpResponseRedirect(reverse("followup:detail", args=[wave.pk]))
    context: dict[str, Any] = {"wave": wave, "upload_form": ResponseUploadForm()}
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request, wave, page)
    if request.method == "POST":
        form = ResponseUploadForm(request.POST, request.FILES)
        context["upload_form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = read_upload(upload, file_name=upload.name)
                preview = responses_import(
                    wave, data, file_name=upload.name, actor=request.user, confirm=False
                )
            except RosterFileError as error:
                form.add_error("file", str(error))
            else:
                context.update(_context(preview))
                if preview.to_import:
                    token = _keep(request, wave, data, upload.name)
                    context["confirm_form"] = ResponseConfirmForm(initial={"token": token})
    return render(request, "followup/responses/import.html", context)


def _keep(request: HttpRequest, wave: SurveyWave, data: bytes, file_name: str) -> str:
    uploads = _uploads(request)
    # A new preview of the same wave replaces the previous one.
    for token in [t for t, u in uploads.items() if u["wave"] == wave.pk]:
        kept.preview_delete(name=uploads.pop(token)["name"])
    token = kept.token_new()
    uploads[token] = {
        "name": kept.preview_save(data=data, preview={"wave": wave.pk}),
        "file_name": file_name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "wave": wave.pk,
    }
    request.session[SESSION_KEY] = uploads
    return token


def _confirm(request: HttpRequest, wave: SurveyWave, page: str) -> HttpResponse:
    form = ResponseConfirmForm(request.POST)
    uploads = _uploads(request)
    token = request.POST.get("token", "")
    upload = uploads.get(token) if form.is_valid() else None
    if upload is None or upload["wave"] != wave.pk:
        messages.error(request, EXPIRED)
        return HttpResponseRedirect(page)
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
        messages.error(request, EXPIRED)
        return HttpResponseRedirect(page)
    preview = responses_import(
        wave,
        data,
        file_name=upload["file_name"],
        actor=request.user,
        confirm=True,
        request=request,
    )
    messages.success(request, preview.summary)
    context = {"wave": wave, **_context(preview), "done": True}
    return render(request, "followup/responses/import.html", context)
