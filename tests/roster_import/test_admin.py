"""The import in the Cohort admin: permission, preview, confirm."""

from __future__ import annotations

import os

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from accounts.models import SchoolMembership
from courses.admin_import import SESSION_KEY
from participants.models import ImportBatch, Person
from tests.factories import SchoolFactory, UserFactory
from tests.roster_import.files import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

REJECTED_ROW = [4, "", "", "", "40000004", "F", "", "", "", "", "", ""]


def _staff(*codenames: str, school=None):  # type: ignore[no-untyped-def]
    """A staff user with exactly these permissions; with `school`, a member of its staff
    (only registry administrators and a cohort's own school see a cohort at all)."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    if school is not None:
        SchoolMembership.objects.create(user=user, school=school)
    return user


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _import_url(cohort) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:courses_cohort_import_roster", args=[cohort.pk])


def test_without_the_permission_the_import_is_hidden_and_refused(cohort) -> None:  # type: ignore[no-untyped-def]
    client = _client(_staff("view_cohort", "change_cohort", school=cohort.school))
    page = client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))
    assert page.status_code == 200
    assert _import_url(cohort) not in page.content.decode()
    changelist = client.get(reverse("admin:courses_cohort_changelist"))
    assert "import_roster_action" not in changelist.content.decode()
    assert client.get(_import_url(cohort)).status_code == 403
    upload = SimpleUploadedFile("lista.csv", csv_bytes(ROWS))
    assert client.post(_import_url(cohort), {"file": upload}).status_code == 403
    assert Person.objects.count() == 0


def test_with_the_permission_the_link_and_action_show(cohort) -> None:  # type: ignore[no-untyped-def]
    client = _client(_staff("view_cohort", "import_roster", school=cohort.school))
    page = client.get(reverse("admin:courses_cohort_change", args=[cohort.pk]))
    assert _import_url(cohort) in page.content.decode()
    changelist = client.get(reverse("admin:courses_cohort_changelist"))
    assert "import_roster_action" in changelist.content.decode()
    response = client.post(
        reverse("admin:courses_cohort_changelist"),
        {"action": "import_roster_action", "_selected_action": [cohort.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == _import_url(cohort)


def test_preview_then_confirm(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    assert client.get(_import_url(cohort)).status_code == 200
    upload = SimpleUploadedFile("lista.xlsx", xlsx_bytes([*ROWS, REJECTED_ROW]))
    preview = client.post(_import_url(cohort), {"file": upload})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Vista previa" in html
    assert "Persona nueva" in html
    assert "Rechazada" in html
    assert "fila sin nombre ni apellidos" in html
    assert "Escala del pre-test: 0-20" in html
    assert Person.objects.count() == 0  # nothing written by the preview
    token = next(iter(client.session[SESSION_KEY]))

    result = client.post(
        _import_url(cohort),
        {"token": token, "commit_valid": "on", "pre_scale": "20", "post_scale": "20"},
    )
    assert result.status_code == 200
    assert Person.objects.count() == 3
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.imported_by, batch.file_name) == (
        "partial",
        admin_user,
        "lista.xlsx",
    )
    assert client.session[SESSION_KEY] == {}  # a token is used once


def test_confirm_with_an_unknown_token_imports_nothing(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    response = client.post(_import_url(cohort), {"token": "not-mine"}, follow=True)
    assert "caducó" in response.content.decode()
    assert ImportBatch.objects.count() == 0


def test_a_token_only_works_for_the_cohort_it_was_previewed_for(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import CohortFactory

    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(ROWS))})
    token = next(iter(client.session[SESSION_KEY]))
    other = CohortFactory()
    client.post(_import_url(other), {"token": token}, follow=True)
    assert ImportBatch.objects.count() == 0


def test_bad_file_shows_the_error_on_the_form(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    upload = SimpleUploadedFile("lista.xlsx", b"\x00\x01 no es un libro")
    response = client.post(_import_url(cohort), {"file": upload})
    assert response.status_code == 200
    assert "lista.xlsx: el contenido no es un CSV ni un XLSX" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_already_imported_file_offers_no_confirm(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    from courses.roster_import import roster_import

    roster_import(file=csv_bytes(ROWS), file_name="l.csv", cohort=cohort)
    client = _client(admin_user)
    response = client.post(
        _import_url(cohort), {"file": SimpleUploadedFile("l.csv", csv_bytes(ROWS))}
    )
    html = response.content.decode()
    assert "ya importado" in html
    assert "Confirmar importación" not in html


def test_a_new_preview_replaces_the_previous_one(cohort, admin_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(admin_user)
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("a.csv", csv_bytes(ROWS))})
    first = dict(client.session[SESSION_KEY])
    client.post(_import_url(cohort), {"file": SimpleUploadedFile("b.csv", csv_bytes(ROWS[:1]))})
    second = client.session[SESSION_KEY]
    assert len(second) == 1
    assert next(iter(second.values()))["file_name"] == "b.csv"
    old_file = TempFolderStorage(name=next(iter(first.values()))["name"]).get_full_path()
    assert not os.path.exists(old_file)


def test_school_staff_cannot_import_into_another_schools_cohort(cohort) -> None:  # type: ignore[no-untyped-def]
    other_school = SchoolFactory()
    client = _client(_staff("view_cohort", "import_roster", school=other_school))
    assert client.get(_import_url(cohort)).status_code in (403, 404)
    upload = SimpleUploadedFile("lista.csv", csv_bytes(ROWS))
    assert client.post(_import_url(cohort), {"file": upload}).status_code in (403, 404)
    assert Person.objects.count() == 0
    assert ImportBatch.objects.count() == 0
