"""Where each role lands: the site root and the sign-in form send each to where it works."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
HOMES = {
    "school": "registration:cohorts",
    "analyst": "reports:dashboard",
    "admin": "review:queue",
}


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


def _sign_in(username: str, next_url: str | None = None, *, url: str = ""):  # type: ignore[no-untyped-def]
    url = url or reverse("reports:login")
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
        url += f"?next={next_url}"
    return Client().post(url, data)


def test_home_sends_each_role_to_its_place(users) -> None:  # type: ignore[no-untyped-def]
    for role, landing in HOMES.items():
        assert _home_for(users[role]) == reverse(landing), role
    superuser = UserFactory(is_staff=True, is_superuser=True)
    assert _home_for(superuser) == reverse("review:queue")


def test_staff_whom_the_admin_offers_something_land_on_the_admin() -> None:
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_school"))
    assert _home_for(staff) == reverse("admin:index")


def test_a_user_without_a_role_gets_the_spanish_403_page_with_a_way_out() -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "No tiene acceso a esta página" in text
    assert "Salir e ingresar con otra cuenta" in text
    # No link home: for this user, home is this very page.
    assert "Ir a mi página de inicio" not in text


def test_visitors_at_the_root_go_to_the_sign_in_form() -> None:
    assert Client().get("/")["Location"] == reverse("reports:login")


def test_school_staff_reach_their_cohorts_from_home(users) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["school"])
    assert client.get("/", follow=True).status_code == 200


@pytest.mark.parametrize("role", sorted(HOMES))
@pytest.mark.parametrize("form", ["reports:login", "admin:login"])
def test_the_sign_in_form_lands_each_role_where_it_works(users, role, form) -> None:  # type: ignore[no-untyped-def]
    response = _sign_in(users[role].username, url=reverse(form))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])


def test_the_sign_in_form_still_follows_a_next_the_user_may_open(users) -> None:  # type: ignore[no-untyped-def]
    assert _sign_in("administra", "/review/merges/")["Location"] == "/review/merges/"
    assert _sign_in("analista", "/reports/?region=3")["Location"] == "/reports/?region=3"
    assert _sign_in("escuela", "/schools/cohorts/new/")["Location"] == "/schools/cohorts/new/"
    assert _sign_in("administra", "/admin/participants/person/")["Location"] == (
        "/admin/participants/person/"
    )


@pytest.mark.parametrize(
    ("role", "next_url"),
    [
        # The visitor who opened / was sent to /reports/ first: school staff used to land on
        # a bare 403 there.
        ("school", "/reports/"),
        ("school", "/review/"),
        ("school", "/admin/participants/duplicatecandidate/"),
        ("analyst", "/schools/"),
        ("analyst", "/review/"),
        ("analyst", "/admin/"),
        ("admin", "/schools/"),
        ("admin", "/no-such-page/"),
        ("admin", "https://example.com/review/"),
        ("admin", "/admin/logout/"),
    ],
)
def test_a_next_the_user_may_not_open_gives_way_to_their_home(users, role, next_url) -> None:  # type: ignore[no-untyped-def]
    response = _sign_in(users[role].username, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse(HOMES[role])


def test_the_admin_sign_in_address_checks_next_too(users) -> None:  # type: ignore[no-untyped-def]
    response = _sign_in("escuela", "/review/", url=reverse("admin:login"))
    assert response["Location"] == reverse("registration:cohorts")


def test_a_signed_in_user_opening_the_sign_in_form_goes_home(users) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["school"])
    response = client.get(reverse("reports:login") + "?next=/reports/")
    assert response["Location"] == reverse("registration:cohorts")


def test_the_sign_in_form_is_the_sites_own_page_in_spanish() -> None:
    for form in ("reports:login", "admin:login"):
        text = Client().get(reverse(form) + "?next=/schools/").content.decode()
        assert "<h1>Ingresar</h1>" in text
        assert 'name="next" value="/schools/"' in text
        assert "Contraseña" in text


def test_signing_out_ends_on_the_sign_in_form(users) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(users["analyst"])
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:login")
    assert "_auth_user_id" not in client.session
