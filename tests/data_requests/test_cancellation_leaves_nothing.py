"""After a cancellation no table holds the person's names, DNI, e-mail or phone.

The person is built up through the real paths (two roster imports, a row rejected in a third
file, an admin edit, a rectification, a merge, a review pair, a suspected wrong link, report
cells, a session, sign-in throttling records), then cancelled, and then every column of every
row of every table is read back: a table added later is covered without changing the test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from unidecode import unidecode

from courses.models import ImportBatch, RowOutcome, SourceRecord
from data_requests.cancellation import person_cancel
from data_requests.rectification import person_rectify
from intake.roster_import import roster_import
from intake.roster_import.previews import preview_folder, preview_save
from participants.models import DuplicateCandidate, Person, PersonStatus, SplitCandidate
from registry.reports.maintenance import report_cells_rebuild
from review.merging import person_merge
from tests.factories import CohortFactory, PersonFactory
from tests.roster_import.files import HEADER, csv_bytes

pytestmark = pytest.mark.django_db(transaction=False)

ROSTER_HEADER = [*HEADER, "Correo", "Observaciones"]

# The person, as typed in the rosters and as the registry normalises them, and every older
# value they had (a spelling, an address, a phone).
DNI = "43218765"
EMAIL = "zoraida.ccahuana@example.org"
OLD_EMAIL = "zccahuana@munihuanta.gob.pe"
MERGED_EMAIL = "zoraida.h@correo.pe"
PHONE = "956123456"
NEW_PHONE = "956123457"
MERGED_PHONE = "+51 956 123 458"
NEEDLES = [
    "Zoraida",
    "Marisol",
    "Ccahuana",
    "Cahuana",
    "Huillca",
    "Huíllca",
    DNI,
    EMAIL,
    OLD_EMAIL,
    MERGED_EMAIL,
    PHONE,
    "956 123 456",
    NEW_PHONE,
    "956123458",
    "956 123 458",
]

# Another participant, whose data must survive the cancellation.
OTHER = ["Quispe", "Huaman", "Teodoro", "40000021", "teodoro.quispe@example.org"]


def _row(**cells: Any) -> list[Any]:
    """A roster row by column: nombres, paterno, materno, dni, sexo, institucion, cargo,
    region, celular, pre, post, correo, obs."""
    columns = ["n", "paterno", "materno", "nombres", "dni", "sexo", "institucion", "cargo"]
    columns += ["region", "celular", "pre", "post", "correo", "obs"]
    return [cells.get(column, "") for column in columns]


FILE_A = csv_bytes(
    [
        _row(
            n=1,
            paterno="Ccahuana",
            materno="Huillca",
            nombres="Zoraida Marisol",
            dni=DNI,
            sexo="F",
            institucion="Fiscalía",
            cargo="Asistente",
            region="Lima",
            celular=PHONE,
            pre=12,
            post=18,
            correo=EMAIL,
        ),
        _row(
            n=2,
            paterno="Quispe",
            materno="Huaman",
            nombres="Teodoro",
            dni="40000021",
            sexo="M",
            institucion="PNP",
            cargo="Comisario",
            region="Cusco",
            celular="987650021",
            pre=11,
            post=17,
            correo="teodoro.quispe@example.org",
            obs="Reemplaza a Zoraida Ccahuana Huillca; coordina con Z. Ccahuana",
        ),
    ],
    header=ROSTER_HEADER,
)
# An older spelling, an old e-mail, and free text holding her surname and e-mail.
FILE_B = csv_bytes(
    [
        _row(
            n=1,
            paterno="CAHUANA",
            materno="HUÍLLCA",
            nombres="ZORAIDA",
            dni=DNI,
            sexo="F",
            institucion="Municipalidad - enc. Z. Cahuana",
            cargo="Asistente",
            region="Ayacucho",
            celular="956 123 456",
            pre=10,
            post=15,
            correo=OLD_EMAIL,
            obs=f"antes escribía a {EMAIL}",
        ),
    ],
    header=ROSTER_HEADER,
)
# Rejected: a given name without surnames identifies no one, yet the row holds her DNI,
# phone and e-mail.
FILE_C = csv_bytes(
    [
        _row(n=1, nombres="Zoraida", dni=DNI, sexo="F", celular=PHONE, correo=EMAIL),
        _row(n=2, paterno="Quispe", materno="Huaman", nombres="Teodoro", dni="40000021"),
    ],
    header=ROSTER_HEADER,
)


def _admin_edit(client: Any, person: Person) -> None:
    """Change the phone through the person's admin page, inlines and all."""
    url = reverse("admin:participants_person_change", args=[person.pk])
    page = client.get(url)
    data: dict[str, Any] = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = "" if value is None else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
        for sub in formset.initial_forms:
            for name in sub.fields:
                value = sub.initial.get(name)
                if hasattr(value, "pk"):
                    value = value.pk
                data[sub.add_prefix(name)] = "" if value is None else value
            data[sub.add_prefix("id")] = sub.instance.pk
    data["phone"] = NEW_PHONE
    data["birth_date"] = "1988-03-14"
    response = client.post(url, data)
    assert response.status_code == 302, [
        (i.formset.prefix, i.formset.errors, i.formset.non_form_errors())
        for i in response.context["inline_admin_formsets"]
    ]


def _build_the_person(client: Any, admin: Any) -> Person:
    cohorts = [CohortFactory() for _ in range(3)]
    roster_import(file=FILE_A, file_name="lista-fiscalia.csv", cohort=cohorts[0], actor=admin)
    roster_import(
        file=FILE_B, file_name="lista_Cahuana_Zoraida.csv", cohort=cohorts[1], actor=admin
    )
    roster_import(
        file=FILE_C, file_name="lista-3.csv", cohort=cohorts[2], actor=admin, commit_valid=True
    )
    person = Person.objects.get(document_number=DNI)
    assert person.enrollments.count() == 2
    assert SourceRecord.objects.filter(outcome=RowOutcome.REJECTED, person=None).exists()
    assert ImportBatch.objects.exclude(rejected_rows=[]).exists()

    client.force_login(admin)
    _admin_edit(client, person)
    person_rectify(
        person=person, changes={"birth_date": "1988-03-15"}, actor=admin, reason="Solicitud 7"
    )
    duplicate = PersonFactory(
        given_names="Zoraida",
        paternal_surname="Ccahuana",
        maternal_surname="H",
        document_number="",
        email=MERGED_EMAIL,
        phone=MERGED_PHONE,
    )
    person_merge(survivor=person, merged=duplicate, actor=admin)
    other = Person.objects.get(document_number="40000021")
    first, second = sorted([person, other], key=lambda p: p.pk)
    DuplicateCandidate.objects.create(
        person_a=first,
        person_b=second,
        score=0.4,
        reasons=[f"correo {EMAIL} / teodoro.quispe@example.org", "apellido CCAHUANA ~ QUISPE"],
    )
    SplitCandidate.objects.create(
        person=person, dnis=[DNI, "43218799"], reasons=[f"DNI {DNI} y 43218799"]
    )
    session = SessionStore()
    session["roster_import_uploads"] = {"t": {"file_name": "Ficha Zoraida Ccahuana.xlsx"}}
    session.create()
    common = {"user_agent": "Mozilla/5.0", "ip_address": "10.0.0.9", "http_accept": "*/*"}
    AccessAttempt.objects.create(
        **common,
        username=EMAIL,
        path_info="/admin/login/",
        get_data="",
        post_data=f"username={EMAIL}",
        failures_since_start=1,
    )
    # Her DNI typed from the same browser: a second attempt that would take the same key.
    AccessAttempt.objects.create(
        **common,
        username=DNI,
        path_info="/admin/login/",
        get_data="",
        post_data=f"username={DNI}",
        failures_since_start=1,
    )
    AccessFailureLog.objects.create(**common, username=EMAIL, path_info="/admin/login/")
    AccessLog.objects.create(**common, username=DNI, path_info="/admin/login/")
    preview_save(data=FILE_B, preview={"rows": [{"Nombres": "ZORAIDA", "DNI": DNI}]})
    report_cells_rebuild()
    call_command("export_participations", output=str(client.tmp_path / "before.csv"))
    return person


def _hashes_of_her_files_and_rows(person: Person) -> list[str]:
    """What would recognise her file or her row: its SHA-256, as stored at import."""
    batches = ImportBatch.objects.filter(records__person=person).distinct()
    rows = SourceRecord.objects.filter(person=person)
    return [*(b.sha256 for b in batches), *(r.row_hash for r in rows)]


def _every_value() -> Iterator[tuple[str, str, str]]:
    """(table, column, text) for every column of every row of every table."""
    decoder = SessionStore()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            # Names from the database's own catalogue, quoted: nothing user-supplied.
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = str(value)
                    if table == "django_session" and column == "session_data":
                        text = json.dumps(decoder.decode(text), ensure_ascii=False)
                    yield table, column, text


def _found(needles: list[str]) -> set[tuple[str, str, str]]:
    folded = [unidecode(needle).lower() for needle in needles]
    return {
        (table, column, needle)
        for table, column, text in _every_value()
        for needle in folded
        if needle in unidecode(text).lower()
    }


@pytest.fixture
def staff_client(client, admin_user, tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.ROSTER_PREVIEW_DIR = str(tmp_path / "previews")
    client.tmp_path = tmp_path
    return client


def test_no_table_keeps_anything_of_a_cancelled_person(
    staff_client, admin_user, django_capture_on_commit_callbacks, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    person = _build_the_person(staff_client, admin_user)
    hashes = _hashes_of_her_files_and_rows(person)
    assert len(hashes) == 4
    assert _found(NEEDLES)  # the search sees the data where it is
    assert {needle for _, _, needle in _found(hashes)} == set(hashes)
    before = (tmp_path / "before.csv").read_text(encoding="utf-8-sig")
    assert person.code in before

    with django_capture_on_commit_callbacks(execute=True):
        person_cancel(person=person, actor=admin_user, reason="Solicitud 13-2026")

    assert _found(NEEDLES) == set()
    assert _found(hashes) == set()
    # Nor any file on disk that the import's preview kept.
    assert not any(
        needle.encode() in path.read_bytes()
        for path in preview_folder().iterdir()
        for needle in (DNI, "ZORAIDA")
    )
    # The other participant keeps everything, the row that mentioned her included.
    assert {needle for _, _, needle in _found(OTHER)} == {n.lower() for n in OTHER}
    person.refresh_from_db()
    assert person.status == PersonStatus.CANCELLED
    call_command("export_participations", output=str(tmp_path / "after.csv"))
    after = (tmp_path / "after.csv").read_text(encoding="utf-8-sig")
    assert person.code not in after
    assert Person.objects.get(document_number="40000021").code in after
