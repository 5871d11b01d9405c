"""The person admin's change form: cleaned names and a document number no one else holds."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Person, PersonStatus
from participants.names import clean_text

REGISTERED_DOCUMENT = _(
    "This document number is already registered: the registry does not hold a second person "
    "with it. Look the person up with “Find by DNI or names”; to enroll them in a cohort, use "
    "“Register participant” on the cohort's page."
)


class PersonAdminForm(forms.ModelForm):
    """Names as a reader sees them: controls, escapes and direction overrides dropped; and a
    document number no other active person has."""

    def clean(self) -> dict[str, Any]:
        # ModelForm.clean returns cleaned_data, never None.
        data = cast("dict[str, Any]", super().clean())
        for name in ("given_names", "paternal_surname", "maternal_surname"):
            if isinstance(data.get(name), str):
                data[name] = clean_text(data[name])
        self._refuse_registered_document(data)
        return data

    def _refuse_registered_document(self, data: dict[str, Any]) -> None:
        # The constraint `person_one_active_per_document` holds for active persons only, and
        # the form has no status field, so Django's constraint validation skips it and the
        # save would fail on the database. The message names no one: who holds the document
        # is what the find page (scoped to the user) and the registration pages tell.
        number = data.get("document_number")
        document_type = data.get("document_type", self.instance.document_type)
        if not number or self.instance.status != PersonStatus.ACTIVE:
            return
        holders = Person.objects.active().filter(
            document_type=document_type, document_number=number
        )
        if self.instance.pk is not None:
            holders = holders.exclude(pk=self.instance.pk)
        if holders.exists():
            self.add_error("document_number", REGISTERED_DOCUMENT)
