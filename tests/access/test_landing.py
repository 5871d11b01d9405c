"""Where each role lands: the site root and the sign-in form send each to where it works."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def users(role_user):  # type: ignore[no-untyped-def]
    return {
        "school": role_user("school", school=SchoolFactory(), username="escuela"),
        "analyst": role_user("analyst", username="analista"),
        "admin": role_user("admin", username="administra"),
    }


def _home_for(user) -> str:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client.get("/")["Location"]


def test_home_sends_each_role_to_its_place(users) -> None:  # type: ignore[no-untyped-def]
    assert _home_for(users["school"]) == reverse("registration:cohorts")
    assert _home_for(users["analyst"]) == reverse("reports:dashboard")
    assert _home_for(users["admin"]) == reverse("reports:dashboard")
    staff_without_role = UserFactory(is_staff=True)
    assert _home_for(staff_without_role) == reverse("admin:index")


def test_school_staff_reach_their_cohorts_from_home(users) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["school"])
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.parametrize(
    ("role", "landing"),
    [
        ("school", "registration:cohorts"),
        ("analyst", "reports:dashboard"),
        ("admin", "reports:dashboard"),
    ],
)
def test_the_sign_in_form_lands_each_role_where_it_works(users, role, landing) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(
        reverse("reports:login"), {"username": users[role].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(landing)


def test_the_sign_in_form_still_follows_next(users) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(
        reverse("reports:login") + "?next=/review/",
        {"username": "administra", "password": PASSWORD, "next": "/review/"},
    )
    assert response["Location"] == "/review/"
