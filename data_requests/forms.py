from __future__ import annotations

from typing import Any

from django import forms

from data_requests.common import RECTIFIABLE_FIELDS
from participants.models import Person


class RectifyForm(forms.ModelForm):
    reason = forms.CharField(
        label="Motivo y referencia de la solicitud",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Por ejemplo: «Solicitud N.° 12-2026, DNI mal digitado». Sin datos personales.",
    )

    class Meta:
        model = Person
        fields = RECTIFIABLE_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def changes(self) -> dict[str, Any]:
        return {field: self.cleaned_data[field] for field in self.changed_data if field != "reason"}

    def _post_clean(self) -> None:
        # The service validates the whole person after normalising; validating the unsaved
        # instance here would reject values the service would have normalised (a 7-digit DNI).
        pass


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Motivo y referencia de la solicitud",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Sin datos personales: quedará en el registro de auditoría.",
    )
    confirm_code = forms.CharField(
        label="Escriba el código de la persona para confirmar",
        max_length=20,
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_confirm_code(self) -> str:
        code = self.cleaned_data["confirm_code"].strip().upper()
        if code != self.person.code:
            raise forms.ValidationError("El código no coincide con el de esta persona.")
        return code
