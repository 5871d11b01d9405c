"""Administrators see the spellings they must map as written, and map them in one step."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment
from participants.models import Institution, Sector
from tests.factories import EnrollmentFactory, SchoolFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spellings():  # type: ignore[no-untyped-def]
    for text in ("DIRINCRI", "Dirincri ", "DIRINCRI"):
        EnrollmentFactory(institution=None, institution_text=text)
    EnrollmentFactory(role=None, role_text="Suboficial de tercera")
    return Institution.objects.create(
        acronym="DIRINCRI-PNP", name="Dirección de Investigación Criminal", sector=Sector.POLICE
    )


def test_the_administrator_sees_them_as_written_with_their_counts(
    client: Client,
    role_user,  # type: ignore[no-untyped-def]
    spellings,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(role_user("admin"))
    page = client.get(reverse("admin:unmapped_spellings")).content.decode()
    table = page.split('id="unmapped-institution"')[1].split("</table>")[0]
    assert "DIRINCRI" in table
    assert '<td class="numeric">3</td>' in table
    assert "Suboficial de tercera" in page.split('id="unmapped-role"')[1]
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert reverse("admin:unmapped_spellings") in dashboard


def test_crear_alias_re_maps_the_enrollments_and_is_audited(
    client: Client,
    role_user,  # type: ignore[no-untyped-def]
    spellings,  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(role_user("admin"))
    response = client.post(
        reverse("admin:unmapped_spellings"),
        {"vocabulary": "institution", "spelling": "DIRINCRI", "entry": spellings.pk},
        follow=True,
    )
    assert "3 participaciones re-mapeadas" in response.content.decode()
    assert Enrollment.objects.filter(institution=spellings).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.ALIAS_MAP).exists()
    assert "DIRINCRI" not in client.get(reverse("admin:unmapped_spellings")).content.decode()


@pytest.mark.parametrize("role", ["analyst", "school"])
def test_other_roles_get_no_such_page(
    client: Client,
    role_user,  # type: ignore[no-untyped-def]
    spellings,  # type: ignore[no-untyped-def]
    role: str,
) -> None:
    user = role_user(role, school=SchoolFactory() if role == "school" else None)
    user.is_staff = True
    user.save()
    client.force_login(user)
    client.raise_request_exception = False
    assert client.get(reverse("admin:unmapped_spellings")).status_code == 403
    assert (
        client.post(
            reverse("admin:unmapped_spellings"),
            {"vocabulary": "institution", "spelling": "DIRINCRI", "entry": spellings.pk},
        ).status_code
        == 403
    )
    assert not Enrollment.objects.filter(institution=spellings).exists()
