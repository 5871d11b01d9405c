"""403, 404, 429, 400, 500 and CSRF failure are the site's own pages, in Spanish, with a way
back; the header offers only links the user may follow."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from tests.factories import CohortFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def _signed_in(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_school_staff_at_the_reports_get_a_spanish_403_with_the_way_home(role_user) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(role_user("school", school=SchoolFactory()))
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 403
    text = _text(response)
    assert "403 Forbidden" not in text
    assert "No tiene acceso a esta página" in text
    assert f'href="{reverse("registration:cohorts")}">Ir a mi página de inicio' in text
    assert "Salir e ingresar con otra cuenta" in text
    assert 'href="/static/registry/base.css"' in text  # the site's layout


def test_another_schools_cohort_is_a_spanish_404_with_the_way_home(role_user) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in(role_user("school", school=SchoolFactory()))
    response = client.get(reverse("registration:cohort", args=[CohortFactory().pk]))
    assert response.status_code == 404
    text = _text(response)
    assert "Página no encontrada" in text
    assert "Ir a mi página de inicio" in text


def test_a_visitors_404_offers_to_sign_in() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    text = _text(response)
    assert "Página no encontrada" in text
    assert f'href="{reverse("reports:login")}">Ingresar' in text
    assert "Salir" not in text


def test_the_lockout_page_is_spanish() -> None:
    UserFactory(username="lucia", is_staff=True)
    client = Client()
    for _ in range(5):
        response = client.post(
            reverse("reports:login"), {"username": "lucia", "password": "wrong-password-1"}
        )
    assert response.status_code == 429
    text = _text(response)
    assert "Ingreso bloqueado temporalmente" in text
    assert "lucia" not in text


def test_server_error_and_bad_request_pages_are_spanish_without_a_request_context() -> None:
    request = RequestFactory().get("/")
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "Ocurrió un error en el registro" in _text(error)
    bad = defaults.bad_request(request, exception=ValueError("x"))
    assert bad.status_code == 400
    assert "Solicitud no válida" in _text(bad)


def test_a_form_without_its_csrf_token_gets_the_spanish_page(role_user) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_user("school", school=SchoolFactory()))
    response = client.post(reverse("registration:cohort_new"), {})
    assert response.status_code == 403
    assert "No se pudo enviar el formulario" in _text(response)


def _nav(client: Client, url: str) -> str:
    text = _text(client.get(url))
    return text[text.index('<nav class="site-nav">') : text.index("</nav>")]


def test_the_analysts_menu_offers_no_administration(role_user) -> None:  # type: ignore[no-untyped-def]
    nav = _nav(_signed_in(role_user("analyst")), reverse("reports:dashboard"))
    assert "Informes" in nav
    assert "Administración" not in nav


def test_administrators_and_school_staff_keep_their_administration_link(role_user) -> None:  # type: ignore[no-untyped-def]
    admin_nav = _nav(_signed_in(role_user("admin")), reverse("review:queue"))
    assert f'href="{reverse("admin:index")}">Administración' in admin_nav
    assert "Posibles duplicados" in admin_nav
    school_nav = _nav(
        _signed_in(role_user("school", school=SchoolFactory())), reverse("registration:cohorts")
    )
    assert "Mis cohortes" in school_nav
    assert "Administración" in school_nav  # cohorts, enrollments and scores in the admin
    assert "Posibles duplicados" not in school_nav
