"""The contact lists: each tool's header and rows, the escaper, pseudonymisation, access,
audit, and withdrawal of consent after the draw."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditAction, AuditEvent
from followup.contact_lists import (
    ContactListRefused,
    contact_list_build,
    contact_list_export,
    odk_property_valid,
)
from followup.models import ReportedPost
from followup.waves import wave_create, wave_draw
from participants.models import IdentityRecord
from tests.factories import SchoolFactory
from tests.followup.conftest import consent


def _rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert not text.startswith("\ufeff")  # the tools read the first column's name as written
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def drawn(world, role_user):  # type: ignore[no-untyped-def]
    admin = role_user("admin", username="admin-registro")
    analyst = role_user("analyst", username="analista")
    formula = world.make_person(
        given_names="=cmd|' /C calc'!A0", paternal_surname="Quispe", maternal_surname="Mamani"
    )
    other = world.make_person(institution=world.ib, region=world.rb, phone="984000111")
    wave = wave_create(
        name="Ola 2026",
        purpose="Seguimiento",
        population={},
        strata=["institution"],
        allocation="proportional",
        sample_size=10,
        min_per_stratum=1,
        seed=1,
        actor=admin,
    )
    wave = wave_draw(wave, actor=admin)
    return wave, admin, analyst, formula, other


def test_odk_entity_list_has_label_and_no_reserved_property(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, _, formula, _ = drawn
    _, content = contact_list_export(wave, list_format="odk", file_type="csv", user=admin)
    header, *rows = _rows(content)
    assert header[0] == "label"
    assert "name" not in header
    assert not any(column.startswith("__") for column in header)
    assert all(odk_property_valid(column) for column in header[1:])
    assert {"token", "codigo_participante", "correo", "telefono"} <= set(header)
    assert len(rows) == 2
    row = dict(
        zip(
            header,
            rows[0 if rows[0][header.index("codigo_participante")] == formula.code else 1],
            strict=True,
        )
    )
    assert row["label"] == formula.full_name  # "Quispe Mamani, =cmd..." does not start with "="
    assert row["nombres"] == "'=cmd|' /C calc'!A0"  # escaped
    assert row["institucion"] == "Institución A"


def test_odk_property_names_rule() -> None:
    assert odk_property_valid("estrato_region")
    for bad in ("name", "label", "__id", "1col", "con espacio", "xmlthing"):
        assert not odk_property_valid(bad)


def test_limesurvey_columns(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, _, formula, other = drawn
    _, content = contact_list_export(wave, list_format="limesurvey", file_type="csv", user=admin)
    header, *rows = _rows(content)
    assert header[:4] == ["firstname", "lastname", "email", "token"]
    assert header[4:] == [f"attribute_{n}" for n in range(1, 9)]
    by_code = {row[4]: row for row in rows}  # attribute_1 is the participant code
    assert by_code[formula.code][:3] == ["'=cmd|' /C calc'!A0", "Quispe Mamani", formula.email]
    assert by_code[other.code][5] == "984000111"  # attribute_2: the phone
    tokens = set(wave.members.values_list("token", flat=True))
    assert {row[3] for row in rows} == tokens


def test_kobo_key_first_in_csv_and_xlsx(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, *_ = drawn
    _, content = contact_list_export(wave, list_format="kobo", file_type="csv", user=admin)
    header, *_ = _rows(content)
    assert header[0] == "token"
    assert len(set(header)) == len(header)
    assert all(column.isascii() and " " not in column for column in header)
    _, content = contact_list_export(wave, list_format="kobo", file_type="xlsx", user=admin)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(1, 1).value == "token"
    assert sheet.max_row == 3


def test_odk_and_limesurvey_are_csv_only(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, *_ = drawn
    from followup.contact_lists import ContactListError

    with pytest.raises(ContactListError, match="se escribe como csv"):
        contact_list_export(wave, list_format="odk", file_type="xlsx", user=admin)


def test_analysts_get_it_pseudonymised(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, _, analyst, formula, _ = drawn
    for list_format in ("odk", "limesurvey", "kobo"):
        contact_list, content = contact_list_export(
            wave, list_format=list_format, file_type="csv", user=analyst
        )
        assert not contact_list.identifying
        text = content.decode()
        for value in (formula.code, formula.paternal_surname, formula.email, "984000111"):
            assert value not in text
        assert "codigo_participante" not in text
    header, *rows = _rows(
        contact_list_build(wave, list_format="odk", identifying=False).as_bytes("csv")
    )
    assert header == [
        "label",
        "token",
        "estrato",
        "estrato_institucion",
        "estrato_sexo",
        "estrato_region",
    ]
    assert rows[0][0] == rows[0][1]  # the label is the token
    with pytest.raises(ContactListRefused, match="Solo un administrador"):
        contact_list_export(
            wave, list_format="odk", file_type="csv", user=analyst, identifying=True
        )


def test_every_export_is_audited(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, analyst, *_ = drawn
    contact_list_export(wave, list_format="odk", file_type="csv", user=admin)
    contact_list_export(wave, list_format="kobo", file_type="csv", user=analyst)
    events = list(AuditEvent.objects.filter(action=AuditAction.EXPORT).order_by("id"))
    assert [(e.actor, e.details["format"], e.details["identifying"]) for e in events] == [
        (admin, "odk", True),
        (analyst, "kobo", False),
    ]
    assert events[0].details["rows"] == 2
    assert events[0].object_id == str(wave.pk)


def test_withdrawal_after_the_draw_removes_the_person_from_the_next_export(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, admin, _, formula, other = drawn
    consent(formula, granted=False)
    contact_list, content = contact_list_export(
        wave, list_format="kobo", file_type="csv", user=admin
    )
    assert contact_list.left_out == 1
    text = content.decode()
    assert formula.code not in text
    assert other.code in text


def test_latest_contact_and_post(drawn) -> None:  # type: ignore[no-untyped-def]
    wave, _, _, formula, _ = drawn
    IdentityRecord.objects.create(
        person=formula, source="roster", email="reciente@example.org", phone="999888777"
    )
    ReportedPost.objects.create(
        person=formula,
        institution_text="Ministerio X",
        region_text="Puno",
        reported_on=dt.date(2026, 11, 1),
    )
    contact_list = contact_list_build(wave, list_format="kobo", identifying=True)
    row = next(
        dict(zip(contact_list.header, r, strict=True))
        for r in contact_list.rows
        if r[1] == formula.code
    )
    assert (row["correo"], row["telefono"]) == ("reciente@example.org", "999888777")
    assert (row["institucion"], row["region"]) == ("Ministerio X", "Puno")


def test_pages_refuse_school_staff_and_download_for_admins(client, drawn, role_user) -> None:  # type: ignore[no-untyped-def]
    wave, admin, analyst, formula, _ = drawn
    url = reverse("followup:contact_list", args=[wave.pk, "odk", "csv"])
    client.force_login(role_user("school", school=SchoolFactory()))
    assert client.get(url).status_code == 403
    assert client.get(reverse("followup:detail", args=[wave.pk])).status_code == 403
    client.force_login(analyst)
    response = client.get(url)
    assert response.status_code == 200
    assert formula.code not in response.content.decode()
    client.force_login(admin)
    response = client.get(url)
    assert response.status_code == 200
    assert formula.code in response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="ola_2026_odk.csv"'


def test_command_writes_the_list_and_refuses_identifying_lists_to_analysts(drawn, tmp_path) -> None:  # type: ignore[no-untyped-def]
    wave, admin, analyst, formula, _ = drawn
    output = tmp_path / "lista.csv"
    out = io.StringIO()
    call_command(
        "survey_contact_list",
        str(wave.pk),
        "--format",
        "limesurvey",
        "--output",
        str(output),
        "--user",
        admin.username,
        stdout=out,
    )
    assert formula.code in output.read_text(encoding="utf-8")
    assert "2 personas escritas" in out.getvalue()
    with pytest.raises(CommandError, match="Solo un administrador"):
        call_command(
            "survey_contact_list",
            wave.name,
            "--format",
            "odk",
            "--output",
            str(output),
            "--user",
            analyst.username,
        )
    call_command(
        "survey_contact_list",
        wave.name,
        "--format",
        "odk",
        "--output",
        str(output),
        "--user",
        analyst.username,
        "--seudonimizada",
        stdout=io.StringIO(),
    )
    assert formula.code not in output.read_text(encoding="utf-8")
