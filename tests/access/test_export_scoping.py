"""Reports and exports across roles: school staff get none; analysts get codes, never identities."""

from __future__ import annotations

import io
from zipfile import ZipFile

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from intake.roster_import import roster_import
from participants.models import Person
from registry.reports.tables import TABLES
from tests.factories import CohortFactory, SchoolFactory

pytestmark = pytest.mark.django_db

HEADER = ["N°", "Apellido paterno", "Apellido materno", "Nombres", "DNI", "Sexo", "Correo"]
HEADER += ["Celular", "Pre-test", "Post-test"]
# Distinctive synthetic values, so that any of them in an export is a leak and not a chance.
ROWS = [
    [1, "Zapataxq", "Villcaxq", "Eulogiaxq", "47900001", "F"],
    [2, "Ttitoxq", "Cusiquexq", "Florencioxq", "47900002", "M"],
]
CONTACT = [["eulogia.xq@example.org", "987000111"], ["flor.xq@example.org", "987000222"]]
ROWS = [[*row, *contact, 12, 18] for row, contact in zip(ROWS, CONTACT, strict=True)]
PERSONAL = [
    value
    for row in ROWS
    for value in row[1:8]
    if value not in ("F", "M")  # sex is an aggregate dimension, not an identity
]
FORMATS = ("csv", "xlsx")


def _csv(rows: list[list[object]]) -> bytes:
    lines = [",".join(map(str, HEADER))] + [",".join(map(str, row)) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


@pytest.fixture
def imported(db):  # type: ignore[no-untyped-def]
    school = SchoolFactory(acronym="ESX")
    cohort = CohortFactory(school=school, label="2026-XQ")
    report = roster_import(file=_csv(ROWS), file_name="xq.csv", cohort=cohort)
    assert report.imported
    return {"school": school, "cohort": cohort, "persons": list(Person.objects.all())}


def _export_urls() -> list[str]:
    urls = [reverse("reports:participations", args=[fmt]) for fmt in FORMATS]
    urls += [reverse("reports:export", args=[name, fmt]) for name in TABLES for fmt in FORMATS]
    return urls


def _text(url: str, body: bytes) -> str:
    """The export as text: a CSV as it is, an XLSX's cell strings and sheets."""
    if url.endswith(".xlsx"):
        with ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8")
                for name in archive.namelist()
                if name.startswith("xl/")
            )
    return body.decode("utf-8-sig")


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_school_staff_get_403_on_the_dashboard_and_every_export(imported, role_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(role_user("school", school=imported["school"]))
    urls = [reverse("reports:dashboard"), *_export_urls()]
    assert len(urls) > 10
    statuses = {url: client.get(url).status_code for url in urls}
    assert statuses == dict.fromkeys(urls, 403)


def test_anonymous_visitors_are_sent_to_sign_in_not_given_data(imported) -> None:  # type: ignore[no-untyped-def]
    for url in _export_urls():
        response = Client().get(url)
        assert response.status_code == 302
        assert b"Zapataxq" not in response.content


def test_analyst_exports_have_person_codes_but_no_identities(imported, role_user) -> None:  # type: ignore[no-untyped-def]
    client = _client(role_user("analyst"))
    codes = [person.code for person in imported["persons"]]
    for url in _export_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _text(url, body)
        assert [value for value in PERSONAL if str(value) in text] == [], url
        if "participations" in url:
            assert all(code in text for code in codes), url


def test_export_participations_command_has_codes_but_no_names_or_dni(imported) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("export_participations", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert all(person.code in text for person in imported["persons"])
    assert [value for value in PERSONAL if str(value) in text] == []
