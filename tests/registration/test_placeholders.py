"""The school registration form refuses placeholder DNIs and names without letters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from intake.registration.forms import RegistrationForm
from participants.models import Person
from tests.registration.test_views import _form

pytestmark = pytest.mark.django_db


def test_form_refuses_a_placeholder_dni_in_spanish() -> None:
    form = RegistrationForm(data=_form(dni="12345678"))
    assert not form.is_valid()
    assert form.errors["dni"] == [
        "12345678 es un número de relleno, no un DNI: escriba el DNI real o déjelo vacío."
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_names", "###", "«###» no es un nombre. Escriba un nombre real."),
        ("paternal_surname", "S/N", "«S/N» no es un apellido. Escriba un apellido real."),
        (
            "maternal_surname",
            "--",
            "«--» no es un apellido. Escriba un apellido real o deje el campo vacío.",
        ),
    ],
)
def test_form_refuses_names_without_letters(field: str, value: str, message: str) -> None:
    form = RegistrationForm(data=_form(**{field: value}))
    assert not form.is_valid()
    assert form.errors[field] == [message]


def test_form_accepts_real_names_and_dni() -> None:
    form = RegistrationForm(data=_form())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(("field", "value"), [("dni", "12345678"), ("given_names", "###")])
def test_registering_with_a_filler_writes_nothing(client, staff_a, world, field, value) -> None:  # type: ignore[no-untyped-def]
    before = Person.objects.count()
    url = reverse("registration:register", args=[world["cohort_a"].pk])
    response = client.post(url, _form(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Person.objects.count() == before
