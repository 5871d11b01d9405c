"""The form that creates a wave: its population, its strata and how its sample is drawn."""

from __future__ import annotations

from typing import Any

from django import forms

from courses.models import Component, Course, Indicator, IndicatorKind, IndicatorLevel
from courses.participation_filters import FilterError
from followup.models import STRATUM_DIMENSIONS, Allocation, QuestionKind
from followup.population import DIMENSION_LABELS, WavePopulation
from followup.waves import SEED_LIMIT
from participants.models import Institution, Region, sex_labels

# The population's fields, in the order the population JSON and the form hold them.
POPULATION_FIELDS = (
    "date_from",
    "date_to",
    "region",
    "institution",
    "course",
    "component",
    "provider",
    "sex",
    "indicator",
    "year_from",
    "year_to",
)


def _choices(pairs: Any, everything: str) -> list[tuple[str, str]]:
    return [("", everything), *((str(value), str(label)) for value, label in pairs)]


class WaveForm(forms.Form):
    name = forms.CharField(label="Nombre", max_length=200)
    purpose = forms.CharField(
        label="Propósito",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Se comunica a las personas contactadas (Ley 29733).",
    )
    date_from = forms.DateField(label="Cohortes desde", required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(label="Cohortes hasta", required=False, input_formats=["%Y-%m-%d"])
    region = forms.ChoiceField(label="Región", required=False)
    institution = forms.ChoiceField(label="Institución", required=False)
    course = forms.ChoiceField(label="Curso", required=False)
    component = forms.ChoiceField(label="Componente", required=False)
    provider = forms.CharField(label="Proveedor", required=False, max_length=200)
    sex = forms.ChoiceField(label="Sexo", required=False)
    indicator = forms.ChoiceField(label="Indicador de producto", required=False)
    year_from = forms.IntegerField(label="Año de inicio desde", required=False)
    year_to = forms.IntegerField(label="Año de inicio hasta", required=False)
    strata = forms.MultipleChoiceField(
        label="Estratificar por",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(name, DIMENSION_LABELS[name]) for name in STRATUM_DIMENSIONS],
        initial=list(STRATUM_DIMENSIONS),
    )
    allocation = forms.ChoiceField(
        label="Asignación",
        choices=Allocation.choices,
        initial=Allocation.PROPORTIONAL,
        widget=forms.RadioSelect,
    )
    sample_size = forms.IntegerField(label="Tamaño de la muestra", required=False, min_value=1)
    margin_of_error = forms.FloatField(
        label="o margen de error (proporción, p. ej. 0.05)",
        required=False,
        min_value=0.001,
        max_value=0.5,
    )
    confidence = forms.FloatField(
        label="Nivel de confianza", initial=0.95, min_value=0.5, max_value=0.999
    )
    anticipated_proportion = forms.FloatField(
        label="Proporción anticipada",
        initial=0.5,
        min_value=0.0,
        max_value=1.0,
        help_text="0.5 si no se sabe nada mejor: da el mayor tamaño necesario.",
    )
    min_per_stratum = forms.IntegerField(label="Mínimo por estrato", initial=2, min_value=0)
    seed = forms.IntegerField(
        label="Semilla",
        min_value=0,
        max_value=SEED_LIMIT - 1,
        help_text="Anótela: con los mismos datos y la misma semilla sale la misma muestra.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["region"].choices = _choices(Region.objects.values_list("pk", "name"), "Todas")  # type: ignore[attr-defined]
        fields["institution"].choices = _choices(  # type: ignore[attr-defined]
            Institution.objects.values_list("pk", "acronym"), "Todas"
        )
        fields["course"].choices = _choices(Course.objects.values_list("pk", "title"), "Todos")  # type: ignore[attr-defined]
        fields["component"].choices = _choices(Component.choices, "Todos")  # type: ignore[attr-defined]
        fields["sex"].choices = _choices(sex_labels().items(), "Todos")  # type: ignore[attr-defined]
        indicators = Indicator.objects.filter(level=IndicatorLevel.OUTPUT, courses__isnull=False)
        fields["indicator"].choices = _choices(  # type: ignore[attr-defined]
            (
                (code, f"{code} · {name[:70]}")
                for code, name in indicators.distinct().values_list("code", "name")
            ),
            "Todos",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("sample_size") is None) == (cleaned.get("margin_of_error") is None):
            raise forms.ValidationError(
                "Indique el tamaño de la muestra o el margen de error, uno de los dos."
            )
        try:
            cleaned["population"] = WavePopulation.from_params(
                {name: cleaned.get(name) for name in POPULATION_FIELDS}
            )
        except FilterError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


class QuestionForm(forms.Form):
    """A question of the wave, named as the survey form's column is."""

    code = forms.CharField(
        label="Columna",
        max_length=60,
        help_text="El nombre de la pregunta en el formulario de la encuesta (p. ej. aplica_ley).",
    )
    text = forms.CharField(label="Pregunta", widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label="Tipo", choices=QuestionKind.choices)
    indicator = forms.ModelChoiceField(
        label="Indicador que mide",
        queryset=Indicator.objects.filter(kind=IndicatorKind.SURVEY).order_by("code"),
        required=False,
        empty_label="ninguno (sin estimación)",
    )
