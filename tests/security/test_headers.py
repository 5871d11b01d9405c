"""Security headers: CSP (django-csp), Permissions-Policy and no-store for signed-in users."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from registry.security import SecurityHeadersMiddleware
from tests.factories import CohortFactory, EnrollmentFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_cohort():  # type: ignore[no-untyped-def]
    school = SchoolFactory()
    cohort = CohortFactory(school=school)
    EnrollmentFactory(cohort=cohort)
    return cohort


def _pages(role_user, cohort) -> list[tuple[object, str]]:  # type: ignore[no-untyped-def]
    school = role_user("school", school=cohort.school)
    analyst = role_user("analyst")
    admin = role_user("admin")
    person = cohort.enrollments.first().person
    return [
        (school, reverse("registration:cohorts")),
        (school, reverse("registration:cohort", args=[cohort.pk])),
        (school, reverse("registration:register", args=[cohort.pk])),
        (analyst, reverse("reports:dashboard")),
        (admin, reverse("review:queue")),
        (admin, reverse("admin:index")),
        (admin, reverse("admin:participants_person_changelist")),
        (admin, reverse("admin:participants_person_change", args=[person.pk])),
        (admin, reverse("admin:courses_cohort_changelist")),
    ]


def _directives(response: HttpResponse) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part
    }


def test_every_main_page_carries_the_headers(client, role_user, school_cohort) -> None:  # type: ignore[no-untyped-def]
    for user, url in _pages(role_user, school_cohort):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = _directives(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], url
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in response["Permissions-Policy"], url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
        client.logout()


def test_downloads_and_redirects_of_a_signed_in_user_are_not_stored(client, role_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("analyst"))
    download = client.get(reverse("reports:participations", args=["csv"]))
    assert download.status_code == 200
    assert "no-store" in download["Cache-Control"]
    redirect = client.get("/")
    assert redirect.status_code == 302
    assert "no-store" in redirect["Cache-Control"]


def test_the_sign_in_answer_is_not_stored(client, role_user) -> None:  # type: ignore[no-untyped-def]
    user = role_user("analyst")
    response = client.post(
        reverse("reports:login"),
        {"username": user.username, "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_visitors_pages_carry_csp_and_permissions_policy(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("reports:login"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_static_files_are_left_cacheable() -> None:
    response = HttpResponse("body {}")
    middleware = SecurityHeadersMiddleware(lambda request: response)
    request = RequestFactory().get("/" + settings.STATIC_URL.lstrip("/") + "registry/base.css")
    request.user = UserFactory()
    assert "Cache-Control" not in middleware(request)
    page = RequestFactory().get("/schools/")
    page.user = AnonymousUser()
    assert "Cache-Control" not in SecurityHeadersMiddleware(lambda r: HttpResponse())(page)


def test_the_admin_change_list_style_hash_matches_the_installed_django() -> None:
    """Django's change list writes one inline <style> (no actions); the policy allows
    exactly that text. An upgrade that changes it fails here instead of in the browser."""
    template = Path(django.__file__).parent / "contrib/admin/templates/admin/change_list.html"
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(), re.S)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    style_src = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src"]
    assert f"'sha256-{digest}'" in style_src


def test_no_project_template_has_inline_script_or_style() -> None:
    root = Path(settings.BASE_DIR)
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.I)
    offenders = [
        str(path.relative_to(root))
        for app in ("registry", "participants", "courses", "accounts", "audit", "assessments")
        for path in (root / app).rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []
