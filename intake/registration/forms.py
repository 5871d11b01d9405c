"""Forms of the school pages. Labels in Spanish: the users are Peruvian training schools."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.consent import (
    CURRENT_CONSENT_VERSION,
    CURRENT_CONTACT_CONSENT_VERSION,
    CURRENT_GUARDIAN_CONSENT_VERSION,
    consent_text,
    contact_consent_text,
    guardian_consent_text,
)
from accounts.models import GuardianRelationship
from assessments.models import Phase
from courses.minors import NOT_MINOR, MinorStatus, minor_status, training_date
from courses.models import Cohort, Enrollment
from participants.documents import DNI_LENGTH, normalise_dni
from participants.models import Institution, Region, Role, Sex
from participants.names import clean_text, is_placeholder_name

# "Prefer not to say" is a choice on the form, stored as "not recorded": the registry does
# not distinguish a refusal from a missing value, and reports count both as not recorded.
PREFER_NOT_TO_SAY = "N"
SEX_CHOICES = [
    ("", "Seleccione"),
    # The model's labels (Mujer, Hombre, Otro), as every page and export shows them.
    (Sex.FEMALE, Sex.FEMALE.label),
    (Sex.MALE, Sex.MALE.label),
    (Sex.OTHER, Sex.OTHER.label),
    (PREFER_NOT_TO_SAY, "Prefiero no decirlo"),
]
_PHONE = re.compile(r"^\+?[\d\s-]{6,20}$")
RELATIONSHIP_CHOICES = [
    ("", "Seleccione"),
    (GuardianRelationship.MOTHER, "Madre"),
    (GuardianRelationship.FATHER, "Padre"),
    (GuardianRelationship.GUARDIAN, "Tutor o apoderado"),
    (GuardianRelationship.OTHER, "Otro"),
]
_EARLIEST_BIRTH = date(1900, 1, 1)
GUARDIAN_FIELDS = ("guardian_name", "guardian_relationship", "guardian_consent")


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ("course", "label", "start_date", "end_date", "region", "modality")
        labels = {
            "course": "Curso",
            "label": "Nombre de la cohorte (p. ej. 2026-01 Cusco)",
            "start_date": "Fecha de inicio",
            "end_date": "Fecha de fin",
            "region": "Región",
            "modality": "Modalidad",
        }
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        # Django's clean() returns `self.cleaned_data` itself; the stubs say `| None` only
        # because an override may return nothing.
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "La fecha de fin es anterior a la de inicio.")
        return data

    def validate_unique(self) -> None:
        # The school is set by the service, not the form; uniqueness of (course, label) is
        # still checked here so the message lands on the label field.
        try:
            self.instance.validate_unique(exclude=["school"])
        except ValidationError as error:
            # ModelForm's own validate_unique() reports through this private method (it maps
            # the model's messages to the form's); django-stubs does not declare it.
            self._update_errors(error)  # type: ignore[attr-defined]


class RegistrationForm(forms.Form):
    given_names = forms.CharField(label="Nombres", max_length=120)
    paternal_surname = forms.CharField(label="Apellido paterno", max_length=80)
    maternal_surname = forms.CharField(label="Apellido materno", max_length=80, required=False)
    dni = forms.CharField(
        label="DNI",
        max_length=12,
        required=False,
        help_text="8 dígitos. Déjelo vacío solo si la persona no tiene DNI.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sex = forms.ChoiceField(label="Sexo", choices=SEX_CHOICES)
    email = forms.EmailField(label="Correo electrónico", required=False)
    phone = forms.CharField(
        label="Teléfono",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    institution = forms.ModelChoiceField(
        label="Institución", queryset=Institution.objects.all(), required=False
    )
    role = forms.ModelChoiceField(label="Cargo", queryset=Role.objects.all(), required=False)
    region = forms.ModelChoiceField(label="Región", queryset=Region.objects.all(), required=False)
    consent = forms.BooleanField(
        label="La persona autoriza el tratamiento de sus datos personales",
        required=True,
        error_messages={"required": "Sin el consentimiento no se puede registrar a la persona."},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CURRENT_CONSENT_VERSION)
    # Follow-up contact is a purpose of its own: optional, never ticked in advance, and
    # registering does not depend on it.
    contact_consent = forms.BooleanField(
        label="Acepta ser contactado para encuestas de seguimiento", required=False
    )
    contact_consent_version = forms.CharField(
        widget=forms.HiddenInput, initial=CURRENT_CONTACT_CONSENT_VERSION, required=False
    )

    birth_date = forms.DateField(
        label="Fecha de nacimiento",
        required=False,
        help_text="Obligatoria para saber si la persona es menor de edad.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # A child under 14 at the training needs the consent of their mother, father or guardian
    # (Ley 29733's regulation): asked always, required only then (`clean`).
    guardian_name = forms.CharField(
        label="Nombre de la madre, el padre o el apoderado", max_length=200, required=False
    )
    guardian_relationship = forms.ChoiceField(
        label="Parentesco", choices=RELATIONSHIP_CHOICES, required=False
    )
    guardian_document = forms.CharField(
        label="DNI del apoderado (opcional)", max_length=20, required=False
    )
    guardian_consent = forms.BooleanField(
        label="La madre, el padre o el apoderado autoriza el tratamiento de los datos",
        required=False,
    )
    guardian_consent_version = forms.CharField(
        widget=forms.HiddenInput, initial=CURRENT_GUARDIAN_CONSENT_VERSION, required=False
    )
    guardian_follow_up = forms.BooleanField(
        label="Autoriza contacto de seguimiento", required=False
    )

    def __init__(self, *args: Any, cohort: Cohort | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cohort = cohort
        # What the birth date entered says, for the page's note (set by `clean`).
        self.minor_status: MinorStatus = NOT_MINOR

    def consent_text(self) -> str:
        return consent_text(CURRENT_CONSENT_VERSION)

    def guardian_consent_text(self) -> str:
        return guardian_consent_text(CURRENT_GUARDIAN_CONSENT_VERSION)

    def minor_note(self) -> str:
        """ "Menor de edad (16 años al inicio del curso)" for the page, "" otherwise."""
        status = self.minor_status
        if not status.minor:
            return ""
        return f"{status.label.capitalize()} ({status.age} años {self._at()})"

    def _at(self) -> str:
        if self.cohort is not None and self.cohort.start_date:
            return "al inicio del curso"
        return "a la fecha de registro"

    def clean_guardian_name(self) -> str:
        return clean_text(self.cleaned_data["guardian_name"])

    def clean_guardian_document(self) -> str:
        return clean_text(self.cleaned_data["guardian_document"])

    def clean_birth_date(self) -> date | None:
        value: date | None = self.cleaned_data["birth_date"]
        if value is not None and not (_EARLIEST_BIRTH <= value <= date.today()):
            raise ValidationError("La fecha de nacimiento no es válida.")
        return value

    def clean(self) -> dict[str, Any]:
        # As in CohortForm.clean: the base returns `self.cleaned_data`, never None.
        super().clean()
        data = self.cleaned_data
        birth_date = data.get("birth_date")
        if birth_date is None or self.cohort is None:
            return data
        self.minor_status = minor_status(birth_date=birth_date, on=training_date(self.cohort))
        if not self.minor_status.minor:
            # An adult decides alone: guardian fields filled by mistake record nothing.
            for name in (*GUARDIAN_FIELDS, "guardian_document", "guardian_follow_up"):
                data[name] = False if name in ("guardian_consent", "guardian_follow_up") else ""
            return data
        if not self.minor_status.under_14:
            return data
        missing = {
            "guardian_name": "Escriba el nombre de la madre, el padre o el apoderado.",
            "guardian_relationship": "Indique el parentesco.",
            "guardian_consent": "Marque la casilla del consentimiento del apoderado.",
        }
        lacking = [name for name in GUARDIAN_FIELDS if not data.get(name)]
        version = self.data.get(self.add_prefix("guardian_consent_version"), "")
        if not lacking and version != CURRENT_GUARDIAN_CONSENT_VERSION:
            self.add_error(
                "guardian_consent",
                "El texto del consentimiento del apoderado cambió; recargue la página.",
            )
        for name in lacking:
            self.add_error(name, missing[name])
        if lacking:
            self.add_error(
                None,
                f"Menor de 14 años ({self.minor_status.age} {self._at()}): para registrarla "
                "se requiere el consentimiento de su madre, padre o apoderado (nombre, "
                "parentesco y la casilla del consentimiento marcada).",
            )
        return data

    def contact_consent_text(self) -> str:
        return contact_consent_text(CURRENT_CONTACT_CONSENT_VERSION)

    def clean_contact_consent(self) -> bool:
        # The person agreed to the words on the page they saw; a change of wording since
        # then needs the page (and the question) again.
        ticked = bool(self.cleaned_data["contact_consent"])
        version = self.data.get(self.add_prefix("contact_consent_version"), "")
        if ticked and version != CURRENT_CONTACT_CONSENT_VERSION:
            raise ValidationError(
                "El texto de la aceptación de contacto cambió; recargue la página."
            )
        return ticked

    def _clean_name(self, field: str, *, what: str) -> str:
        # Controls, escapes, direction overrides and zero-width characters are dropped.
        value = clean_text(self.cleaned_data[field])
        if not value and self.fields[field].required:
            raise ValidationError(self.fields[field].error_messages["required"])
        if is_placeholder_name(value):
            # "###" or "S/N" saved as a name would be a person nobody can find or tell apart.
            raise ValidationError(
                f"«{value}» no es {what}. Escriba {what} real"
                + (" o deje el campo vacío." if not self.fields[field].required else ".")
            )
        return value

    def clean_given_names(self) -> str:
        return self._clean_name("given_names", what="un nombre")

    def clean_paternal_surname(self) -> str:
        return self._clean_name("paternal_surname", what="un apellido")

    def clean_maternal_surname(self) -> str:
        return self._clean_name("maternal_surname", what="un apellido")

    def clean_dni(self) -> str:
        raw = self.cleaned_data["dni"].strip()
        if not raw:
            return ""
        result = normalise_dni(raw)
        if result.placeholder:
            raise ValidationError(
                f"{raw} es un número de relleno, no un DNI: escriba el DNI real o déjelo vacío."
            )
        if result.problem or result.restored_zero or not result.value:
            # A person typing a DNI did not lose a leading zero the way Excel does: a
            # 7-digit entry is a typo, not something to repair silently.
            raise ValidationError(f"El DNI debe tener exactamente {DNI_LENGTH} dígitos.")
        return result.value

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not _PHONE.match(phone):
            raise ValidationError("Use solo dígitos, espacios o guiones (6 a 20).")
        return phone

    def clean_consent_version(self) -> str:
        if self.cleaned_data["consent_version"] != CURRENT_CONSENT_VERSION:
            raise ValidationError("El texto del consentimiento cambió; recargue la página.")
        return CURRENT_CONSENT_VERSION

    def clean_sex(self) -> str:
        value = self.cleaned_data["sex"]
        return Sex.NOT_RECORDED if value == PREFER_NOT_TO_SAY else value


class MatchQueryForm(forms.Form):
    """The fields the duplicate hint reads while the user types (all optional)."""

    cohort = forms.IntegerField()
    given = forms.CharField(required=False, max_length=120)
    paternal = forms.CharField(required=False, max_length=80)
    maternal = forms.CharField(required=False, max_length=80)
    dni = forms.CharField(required=False, max_length=12)
    sex = forms.CharField(required=False, max_length=1)
    # Evidence for the engine, not values to store: a half-typed address is no error.
    email = forms.CharField(required=False, max_length=254)
    phone = forms.CharField(required=False, max_length=20)


class ScoresForm(forms.Form):
    """Pre- and post-test scores for every enrollment of one cohort, on one scale."""

    scale_max = forms.DecimalField(
        label="Puntaje máximo de la prueba",
        min_value=Decimal("1"),
        max_digits=6,
        decimal_places=2,
        initial=Decimal("20"),
    )

    def __init__(self, *args: Any, enrollments: list[Enrollment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrollments = enrollments
        for enrollment in enrollments:
            current = {score.phase: score.raw_score for score in enrollment.scores.all()}
            for phase in Phase.values:
                self.fields[self.field_name(enrollment, phase)] = forms.DecimalField(
                    required=False,
                    min_value=Decimal("0"),
                    max_digits=6,
                    decimal_places=2,
                    initial=current.get(phase),
                    widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
                )

    @staticmethod
    def field_name(enrollment: Enrollment, phase: str) -> str:
        return f"{phase}_{enrollment.pk}"

    def rows(self) -> list[tuple[Enrollment, forms.BoundField, forms.BoundField]]:
        return [
            (
                enrollment,
                self[self.field_name(enrollment, Phase.PRE)],
                self[self.field_name(enrollment, Phase.POST)],
            )
            for enrollment in self.enrollments
        ]

    def clean(self) -> dict[str, Any]:
        # As in CohortForm.clean: the base returns `self.cleaned_data`, never None.
        super().clean()
        data = self.cleaned_data
        scale = data.get("scale_max")
        if scale is None:
            return data
        for name, value in list(data.items()):
            if name != "scale_max" and value is not None and value > scale:
                self.add_error(name, f"Mayor que el puntaje máximo ({scale}).")
        return data
