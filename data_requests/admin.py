"""Data subject requests and person-level auditing in the person admin.

`PersonDataProtectionAdminMixin` goes first in PersonAdmin's bases. It adds three pages per
person for administrators (access: JSON download; rectification; cancellation), links to
them on the change page, and records every view of a person's page and every edit made
through the admin (which fields changed, never their values) in the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse

from accounts.access.user_scope import is_registry_admin
from audit.models import AuditAction
from audit.services import audit_record
from data_requests.access import person_data_export
from data_requests.cancellation import person_cancel
from data_requests.common import DataRequestError
from data_requests.forms import CancelForm, RectifyForm
from data_requests.pending import pending_partners_of
from data_requests.rectification import person_rectify
from participants.models import Person

if TYPE_CHECKING:
    # django-stubs' name for what a template attribute may hold (a name, names, a template).
    from django.template.response import _TemplateForResponseT


class PersonDataProtectionAdminMixin:
    # A class variable, as ModelAdmin declares it, so that PersonAdmin's bases agree.
    change_form_template: ClassVar[_TemplateForResponseT | None] = (
        "data_requests/person_change_form.html"
    )

    # --- audit of ordinary admin use ------------------------------------------------------

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "show_data_requests": is_registry_admin(request.user),
        }
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            person = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
            if person is not None:
                audit_record(
                    actor=request.user, action=AuditAction.PERSON_VIEW, obj=person, request=request
                )
        return response

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if change and form.changed_data:
            audit_record(
                actor=request.user,
                action=AuditAction.PERSON_EDIT,
                obj=obj,
                # Field names only, never values: the audit log is append-only and outlives
                # a cancellation; the new values are kept as a correction identity record.
                details={"fields": sorted(form.changed_data)},
                request=request,
            )

    # --- data subject request pages -------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        opts = self.model._meta  # type: ignore[attr-defined]
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/data-request/access/",
                view(self.data_access_view),
                name=f"{prefix}_data_access",
            ),
            path(
                "<path:object_id>/data-request/rectify/",
                view(self.data_rectify_view),
                name=f"{prefix}_data_rectify",
            ),
            path(
                "<path:object_id>/data-request/cancel/",
                view(self.data_cancel_view),
                name=f"{prefix}_data_cancel",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def _request_person(self, request: HttpRequest, object_id: str) -> Person:
        if not is_registry_admin(request.user):
            raise PermissionDenied
        person = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if person is None:
            raise Http404
        return person

    def _context(self, request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
        return {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "original": person,
            "person": person,
            **extra,
        }

    def data_access_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self._request_person(request, object_id)
        if request.method != "POST":
            return TemplateResponse(
                request,
                "data_requests/access.html",
                self._context(request, person, title=f"Acceso a los datos de {person.code}"),
            )
        export = person_data_export(person=person, actor=request.user, request=request)
        response = JsonResponse(export, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="datos-{person.code}.json"'
        return response

    def data_rectify_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self._request_person(request, object_id)
        form = RectifyForm(request.POST or None, instance=person)
        if request.method == "POST" and form.is_valid():
            try:
                person_rectify(
                    person=person,
                    changes=form.changes(),
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            except DataRequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Datos de {person.code} rectificados.")
                return redirect(self._change_url(person))
        return TemplateResponse(
            request,
            "data_requests/rectify.html",
            self._context(request, person, form=form, title=f"Rectificar {person.code}"),
        )

    def data_cancel_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self._request_person(request, object_id)
        form = CancelForm(request.POST or None, person=person)
        if request.method == "POST" and form.is_valid():
            try:
                report = person_cancel(
                    person=person,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                form.add_error(None, error)  # the motive's message goes under its field
            except DataRequestError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Datos de {person.code} cancelados ({report.source_records} filas de "
                    "origen anonimizadas). Sus participaciones se conservan sin identificarla.",
                )
                if report.pending_duplicates:
                    messages.warning(
                        request,
                        "Posibles duplicados sin revisar de esta persona: "
                        f"{', '.join(report.pending_duplicates)}. Ya no aparecen en la cola de "
                        "revisión: compárelos con la solicitud (DNI y nombres del titular) y, "
                        "si son la misma persona, cancele también sus datos.",
                    )
                return redirect(self._change_url(person))
        return TemplateResponse(
            request,
            "data_requests/cancel.html",
            self._context(
                request,
                person,
                form=form,
                title=f"Cancelar los datos de {person.code}",
                pending_duplicates=[
                    (other.code, self._change_url(other))
                    for other in pending_partners_of(person=person)
                ],
            ),
        )

    def _change_url(self, person: Person) -> str:
        opts = self.model._meta  # type: ignore[attr-defined]
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[person.pk])
