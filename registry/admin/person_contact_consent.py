"""The person page's consent to follow-up contact: the statements, and recording new ones.

Registry administrators only, for both: the statements come from every school's forms and
rosters and from administrators, so a school's staff would read other schools' data in them
(as in the identity records, `person_inlines.IdentityRecordInline`). A person who asks a
school to stop contacting them is referred to the registry's administrator, who records it.

Recording goes through a page of its own (a link, then a confirmation posted there): a
button inside the change form would be the form's first, the one Enter in any field presses.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access.user_scope import is_registry_admin
from accounts.consent import CURRENT_CONTACT_CONSENT_VERSION, contact_consent_text
from accounts.contact_consent import (
    contact_consent_record,
    contact_consent_statements,
    contact_consent_withdraw,
)
from accounts.models import ContactConsent, ContactConsentSource
from participants.models import Person, PersonStatus

CONTACT_CONSENT_FIELD = "contact_consent_history"


class PersonContactConsentAdminMixin:
    """Goes before `admin.ModelAdmin` in PersonAdmin's bases."""

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view  # type: ignore[attr-defined]
        opts = self.model._meta  # type: ignore[attr-defined]
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/contact-consent/grant/",
                view(self.contact_consent_grant_view),
                name=f"{prefix}_contact_consent_grant",
            ),
            path(
                "<path:object_id>/contact-consent/withdraw/",
                view(self.contact_consent_withdraw_view),
                name=f"{prefix}_contact_consent_withdraw",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)  # type: ignore[misc]
        if obj is None or not is_registry_admin(request.user):
            return fieldsets
        return (*fieldsets, (_("Follow-up contact"), {"fields": (CONTACT_CONSENT_FIELD,)}))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = super().get_readonly_fields(request, obj)  # type: ignore[misc]
        if obj is None or not is_registry_admin(request.user):
            return readonly
        return (*readonly, CONTACT_CONSENT_FIELD)

    @admin.display(description=gettext_lazy("consent to follow-up contact"))
    def contact_consent_history(self, obj: Person) -> str:
        statements = contact_consent_statements(obj)
        current = (
            _("No statement: the person is not contacted.")
            if not statements
            else _("Current answer: yes, the person may be contacted.")
            if statements[0].granted
            else _("Current answer: no, the person is not contacted.")
        )
        header = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("stated at"),
            _("agrees"),
            _("source"),
            _("text version"),
            _("recorded by"),
            _("record"),
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (_statement_cells(row) for row in statements),
        )
        table = (
            format_html('<table class="contact-consents">{}{}</table>', header, rows)
            if statements
            else ""
        )
        return format_html(
            "<p>{}</p>{}{}", current, table, _links(obj) if obj.pk is not None else ""
        )

    def contact_consent_grant_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self._contact_consent_person(request, object_id)
        if request.method != "POST":
            return self._contact_consent_confirm(request, person, granted=True)
        try:
            contact_consent_record(
                person=person,
                granted=True,
                source=ContactConsentSource.ADMIN,
                given_at=timezone.now(),
                text_version=CURRENT_CONTACT_CONSENT_VERSION,
                actor=request.user,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Recorded: %(code)s agrees to be contacted for follow-up surveys.")
                % {"code": person.code},
            )
        return _back_to(person)

    def contact_consent_withdraw_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        person = self._contact_consent_person(request, object_id)
        if request.method != "POST":
            return self._contact_consent_confirm(request, person, granted=False)
        contact_consent_withdraw(
            person=person, actor=request.user, source=ContactConsentSource.ADMIN, request=request
        )
        messages.success(
            request,
            _("Recorded: %(code)s withdrew consent to follow-up contact; it counts from now on.")
            % {"code": person.code},
        )
        return _back_to(person)

    def _contact_consent_confirm(
        self, request: HttpRequest, person: Person, *, granted: bool
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": self.model._meta,  # type: ignore[attr-defined]
            "person": person,
            "granted": granted,
            "version": CURRENT_CONTACT_CONSENT_VERSION,
            "text": contact_consent_text(CURRENT_CONTACT_CONSENT_VERSION),
            "title": _grant_label() if granted else str(_("Record withdrawal")),
        }
        return TemplateResponse(
            request, "registry/admin/participants/person_contact_consent.html", context
        )

    def _contact_consent_person(self, request: HttpRequest, object_id: str) -> Person:
        if not is_registry_admin(request.user):
            raise PermissionDenied
        person = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if person is None:
            raise Http404
        if person.status != PersonStatus.ACTIVE:
            # A merged record's statements count for its survivor: record them there.
            raise Http404
        return person


def _statement_cells(row: ContactConsent) -> tuple[str, ...]:
    return (
        localize(timezone.localtime(row.given_at)),
        _("yes") if row.granted else _("no"),
        row.get_source_display(),
        row.text_version or "—",
        row.recorded_by.get_username() if row.recorded_by else "—",
        row.person.code,
    )


def _grant_label() -> str:
    return _("Record consent (version %(version)s)") % {"version": CURRENT_CONTACT_CONSENT_VERSION}


def _links(person: Person) -> str:
    if person.status != PersonStatus.ACTIVE:
        return ""
    grant = reverse("admin:participants_person_contact_consent_grant", args=[person.pk])
    withdraw = reverse("admin:participants_person_contact_consent_withdraw", args=[person.pk])
    return format_html(
        '<p><a href="{}" class="button">{}</a> <a href="{}" class="button">{}</a></p>',
        grant,
        _grant_label(),
        withdraw,
        _("Record withdrawal"),
    )


def _back_to(person: Person) -> HttpResponse:
    return HttpResponseRedirect(reverse("admin:participants_person_change", args=[person.pk]))
