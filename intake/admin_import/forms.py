"""The forms of the roster import page: the upload, the confirmation of a preview, and the
mapping of the columns a preview left unread."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.roster_fields import PROFILE_CHOICES
from intake.roster_import.report import ImportReport

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
    """The token of the preview, and each test's scale: left on "inferida", a scale is
    recorded as inferred; only one the user picks is recorded as stated ("indicada")."""

    token = forms.CharField(widget=forms.HiddenInput)
    pre_scale = forms.ChoiceField(choices=SCALE_CHOICES, required=False)
    post_scale = forms.ChoiceField(choices=SCALE_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        inferred: dict[str, str] | None = None,
        in_file: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        """`inferred`: field name -> the scale the preview inferred for that test ("20");
        `in_file`: the scale the file's cells state ("14 / 20"), read again on confirming."""
        super().__init__(*args, **kwargs)
        for name, label in (("pre_scale", "pre-test"), ("post_scale", "post-test")):
            # Declared above as ChoiceFields; `fields` is typed with the base Field.
            field = cast(forms.ChoiceField, self.fields[name])
            field.label = f"Escala del {label}"
            scale = (inferred or {}).get(name)
            stated = (in_file or {}).get(name)
            if stated:
                as_written = _("As the file states it (0 to %(scale)s)") % {"scale": stated}
                field.choices = [("", as_written), *SCALE_CHOICES[1:]]
            elif scale:
                field.choices = [("", f"Inferida de las notas (0 a {scale})"), *SCALE_CHOICES[1:]]


def inferred_scales(report: ImportReport) -> dict[str, str]:
    return {
        name: f"{scale:g}" if inferred and scale is not None else ""
        for name, scale, inferred in (
            ("pre_scale", report.pre_scale, report.pre_scale_inferred),
            ("post_scale", report.post_scale, report.post_scale_inferred),
        )
    }


def file_scales(report: ImportReport) -> dict[str, str]:
    """Field name -> the scale the file's cells state for that test ("20"), or ""."""
    return {
        name: f"{scale:g}" if report.scale_from_file.get(test) and scale is not None else ""
        for name, test, scale in (
            ("pre_scale", "pre", report.pre_scale),
            ("post_scale", "post", report.post_scale),
        )
    }


def scale_value(value: str) -> int | None:
    return int(value) if value else None


class ColumnMappingForm(forms.Form):
    """What each unread column of a preview holds: a field, "do not import", or nothing yet.

    `columns`: the preview's unread columns, [{"column": "«Header» (C)", "header": ...}].
    """

    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, columns: list[dict[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = columns
        choices = [("", _("leave unread")), *PROFILE_CHOICES]
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column["column"], choices=choices, required=False
            )

    def chosen(self) -> list[tuple[str, str]]:
        """(header, field) of each column given a field or "do not import"."""
        return [
            (column["header"], self.cleaned_data[f"column_{index}"])
            for index, column in enumerate(self.columns)
            if self.cleaned_data.get(f"column_{index}")
        ]
