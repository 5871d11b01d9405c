"""Spellings of the vocabularies as spreadsheets in the admin (django-import-export)."""

from __future__ import annotations

import csv
import io
import re

import pytest
import tablib
from django.test import Client, override_settings
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment
from participants.models import Institution, InstitutionAlias
from registry.admin.vocabulary_exchange import (
    InstitutionAliasResource,
    RegistryCSV,
    RegistryXLSX,
)
from tests.factories import EnrollmentFactory, SchoolFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/participants/institutionalias/import/"
PROCESS_URL = "/admin/participants/institutionalias/process_import/"


def _csv_upload(text: str, name: str = "escrituras.csv") -> io.BytesIO:
    upload = io.BytesIO(("\ufeff" + text).encode("utf-8"))
    upload.name = name
    return upload


def _import(client: Client, text: str):  # type: ignore[no-untyped-def]
    """Upload, then confirm what the preview shows, as an administrator does."""
    preview = client.post(
        IMPORT_URL, {"format": "0", "resource": "0", "import_file": _csv_upload(text)}
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    confirm = {
        key: hidden[key]
        for key in ("import_file_name", "original_file_name", "format", "resource")
        if key in hidden
    }
    return preview, client.post(PROCESS_URL, confirm)


def test_an_imported_spelling_links_the_enrollments_that_wrote_it_and_is_audited(
    role_user,
) -> None:  # type: ignore[no-untyped-def]
    enrollment = EnrollmentFactory(institution=None, institution_text="Fiscalía Prov. de Anta")
    client = Client()
    client.force_login(role_user("admin"))

    preview, done = _import(client, "escritura,institucion\nFiscalía Prov. de Anta,MP\n")

    # The preview says what will be created before anything is written.
    assert "Nuevo" in preview.content.decode()
    assert "Confirmar importación" in preview.content.decode()
    assert done.status_code == 302
    alias = InstitutionAlias.objects.get(institution__acronym="MP", key="FISCALIA PROV DE ANTA")
    enrollment.refresh_from_db()
    assert enrollment.institution == alias.institution
    event = AuditEvent.objects.filter(action=AuditAction.ALIAS_MAP).latest("pk")
    assert event.details["enrollments_updated"] == 1


def test_an_unknown_institution_fails_the_whole_file(role_user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(role_user("admin"))
    before = InstitutionAlias.objects.count()
    preview = client.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": _csv_upload(
                "escritura,institucion\nUna escritura nueva,MP\nOtra,NO-EXISTE\n"
            ),
        },
    )
    assert preview.status_code == 200
    assert (
        "Fila 3, columna «institucion»: «NO-EXISTE» no es una institución (su sigla) del"
        " registro." in preview.content.decode()
    )
    assert 'name="import_file_name"' not in preview.content.decode()
    assert InstitutionAlias.objects.count() == before


def test_school_staff_may_neither_import_nor_export_spellings(role_user) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(role_user("school", school=SchoolFactory()))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get("/admin/participants/institutionalias/export/").status_code == 403


@override_settings(ROSTER_MAX_UPLOAD_BYTES=100)
def test_a_file_over_the_roster_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(ValueError, match="el máximo es 100"):
        RegistryCSV().create_dataset(b"escritura,institucion\n" + b"x" * 200)


def test_exports_are_written_by_the_registrys_escaping_writers() -> None:
    mp = Institution.objects.get(acronym="MP")
    InstitutionAlias.objects.create(key="=HYPERLINK(1)", institution=mp)
    dataset = InstitutionAliasResource().export()
    assert dataset.headers == ["escritura", "institucion"]

    text = RegistryCSV().export_data(dataset)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert ["'=HYPERLINK(1)", "MP"] in rows

    workbook = load_workbook(io.BytesIO(RegistryXLSX().export_data(dataset)))
    values = [cell.value for row in workbook.worksheets[0].iter_rows() for cell in row]
    assert "'=HYPERLINK(1)" in values
    assert not RegistryXLSX().can_import()


def test_the_folded_spelling_is_the_key_whatever_the_case_and_accents() -> None:
    mp = Institution.objects.get(acronym="MP")
    dataset = tablib.Dataset(
        ["fiscalía  provincial de ANTA", "MP"], headers=["escritura", "institucion"]
    )
    result = InstitutionAliasResource().import_data(dataset, dry_run=False)
    assert not result.has_errors()
    assert InstitutionAlias.objects.get(key="FISCALIA PROVINCIAL DE ANTA").institution == mp
    # The same spelling written otherwise is the same alias, not a second one.
    again = tablib.Dataset(
        ["Fiscalia Provincial de Anta", "MP"], headers=["escritura", "institucion"]
    )
    InstitutionAliasResource().import_data(again, dry_run=False)
    assert InstitutionAlias.objects.filter(key="FISCALIA PROVINCIAL DE ANTA").count() == 1
    assert Enrollment.objects.count() == 0
