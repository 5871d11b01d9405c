"""The dashboard's filter form: each bad value gets its own Spanish message beside its field.

The command line parses the same filters with `ReportFilters.from_params`, which stops at the
first bad value; a page must say what is wrong with every field at once, and must never fall
back to the whole registry when a filter cannot be understood.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.formats import date_format

from courses.models import Component, Course
from participants.models import Institution, Region, Sex
from registry.reports.filters import FilterError, ReportFilters

DATE_ERROR = "«%(value)s» no es una fecha válida; escríbala como AAAA-MM-DD (p. ej. 2024-03-31)."


class _IsoDateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": DATE_ERROR}

    def to_python(self, value: Any) -> date | None:
        try:
            return super().to_python(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(
                DATE_ERROR, code="invalid", params={"value": str(value).strip()}
            ) from error


class _IdField(forms.CharField):
    """The id of a vocabulary entry, as the page's drop-down lists send it."""

    def __init__(
        self, *, model: type[Region | Institution | Course], missing: str, **kwargs: Any
    ) -> None:
        super().__init__(required=False, **kwargs)
        self.model = model
        self.missing = missing

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        if not text.isdigit() or not self.model.objects.filter(pk=int(text)).exists():
            raise forms.ValidationError(self.missing, code="unknown", params={"value": text})
        return int(text)


class ReportFilterForm(forms.Form):
    # A whole calendar year, the shortcut for its two dates (refused together with them).
    year = forms.CharField(required=False, label="Año")
    date_from = _IsoDateField(required=False, label="Desde")
    date_to = _IsoDateField(required=False, label="Hasta")
    region = _IdField(
        model=Region,
        label="Región",
        missing="La región «%(value)s» no existe; elija una de la lista.",
    )
    institution = _IdField(
        model=Institution,
        label="Institución",
        missing="La institución «%(value)s» no existe; elija una de la lista.",
    )
    course = _IdField(
        model=Course,
        label="Curso",
        missing="El curso «%(value)s» no existe; elija uno de la lista.",
    )
    component = forms.CharField(required=False, label="Componente")
    provider = forms.CharField(required=False, label="Proveedor")
    sex = forms.CharField(required=False, label="Sexo")

    def clean_year(self) -> int | None:
        value = self.cleaned_data["year"].strip()
        if not value:
            return None
        if not value.isdigit() or not 1900 <= int(value) <= 2100:
            raise forms.ValidationError(
                "«%(value)s» no es un año; elija uno de la lista.",
                code="invalid",
                params={"value": value},
            )
        return int(value)

    def clean_sex(self) -> str:
        value = self.cleaned_data["sex"].strip()
        if value and value not in Sex.values:
            raise forms.ValidationError(
                "«%(value)s» no es un sexo; elija uno de la lista.",
                code="unknown",
                params={"value": value},
            )
        return value

    def clean_component(self) -> str:
        value = self.cleaned_data["component"].strip()
        if value and value not in Component.values:
            raise forms.ValidationError(
                "«%(value)s» no es un componente; elija uno de la lista.",
                code="unknown",
                params={"value": value},
            )
        return value

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data, never None.
        cleaned = cast("dict[str, Any]", super().clean())
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error(
                "date_to",
                forms.ValidationError(
                    "La fecha «Hasta» (%(to)s) es anterior a «Desde» (%(from)s).",
                    code="order",
                    # As Peru writes dates (and the browser's date input shows them).
                    params={
                        "to": date_format(date_to, "SHORT_DATE_FORMAT"),
                        "from": date_format(date_from, "SHORT_DATE_FORMAT"),
                    },
                ),
            )
        if cleaned.get("year") and (date_from or date_to):
            self.add_error(
                "year",
                forms.ValidationError(
                    "Elija un año o un rango de fechas («Desde», «Hasta»), no ambos.",
                    code="both",
                ),
            )
        return cleaned

    def report_filters(self) -> ReportFilters:
        """The filters of a valid form (is_valid() first)."""
        params = {
            name: value.isoformat() if isinstance(value, date) else str(value)
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
        try:
            return ReportFilters.from_params(params)
        except FilterError as error:  # a rule only the shared parser knows
            self.add_error(None, str(error))
            raise


def report_filters_parse(*, params: Any) -> tuple[ReportFilters | None, ReportFilterForm]:
    """The filters in `params` (a QueryDict), or None and the form with its errors."""
    form = ReportFilterForm(params)
    if not form.is_valid():
        return None, form
    try:
        return form.report_filters(), form
    except FilterError:
        return None, form
