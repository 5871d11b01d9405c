"""Malformed query parameters are a 400 or an ignored filter, never a 500.

Every admin change list is probed with year lookups out of any calendar and with a NUL byte;
so is the merges page's person filter.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

TWENTY_DIGITS = "9" * 20


def _changelists() -> list[tuple[str, list[str]]]:
    """Each registered model's change list URL with its date and datetime field names."""
    found = []
    for model in admin.site._registry:
        dated = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, models.DateField) and field.concrete
        ]
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        found.append((url, dated or ["pk"]))
    return found


def _bad_parameters(fields: list[str]) -> list[dict[str, str]]:
    probes: list[dict[str, str]] = [{"q": "\x00"}, {"pk": "\x00"}, {"pk": TWENTY_DIGITS}]
    for field in fields:
        for lookup in ("year", "year__gte", "year__lt", "iso_year", "year__in"):
            probes.append({f"{field}__{lookup}": "-1"})
            probes.append({f"{field}__{lookup}": TWENTY_DIGITS})
        probes.append({f"{field}__month": TWENTY_DIGITS})
    return probes


@pytest.fixture
def admin_client_signed_in(admin_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(("url", "fields"), _changelists())
def test_no_admin_change_list_answers_a_bad_filter_with_a_500(
    admin_client_signed_in: Client, url: str, fields: list[str]
) -> None:
    for params in _bad_parameters(fields):
        response = admin_client_signed_in.get(url, params)
        assert response.status_code in (200, 302, 400), (url, params, response.status_code)


def test_a_year_of_minus_one_is_a_400_in_spanish(admin_client_signed_in: Client) -> None:
    url = reverse("admin:participants_person_changelist")
    response = admin_client_signed_in.get(url, {"created_at__year": "-1"})
    assert response.status_code == 400
    assert "created_at__year" in response.content.decode()


def test_a_nul_byte_in_the_merges_person_filter_is_a_400(admin_client_signed_in: Client) -> None:
    response = admin_client_signed_in.get(reverse("review:merges"), {"person": "\x00"})
    assert response.status_code == 400


def test_a_nul_byte_anywhere_in_the_query_string_is_a_400(
    admin_client_signed_in: Client,
) -> None:
    response = admin_client_signed_in.get(reverse("review:queue"), {"x\x00": "1"})
    assert response.status_code == 400
