"""What a cancellation used to leave behind: her file's name and hash, her row's hash,
other people's rows naming her by initial and surname, import previews on disk, and a
possible duplicate of hers that nobody would review any more."""

from __future__ import annotations

from typing import Any

import pytest

from courses.models import Enrollment, ImportBatch, SourceRecord
from data_requests.cancellation import person_cancel
from data_requests.redaction import REDACTED
from intake.roster_import import roster_import
from intake.roster_import.previews import preview_folder, preview_save
from participants.models import DuplicateCandidate, IdentityRecord, Person, PersonStatus
from tests.factories import CohortFactory, PersonFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

DNI = "41827364"
FILE_NAME = "lista_Quilcaruná_Eufemia.csv"
CONTACT = "Fiscalía - E. Quilcaruná"


def _row(n: int, paterno: str, materno: str, nombres: str, dni: str, institucion: str) -> list[Any]:
    return [n, paterno, materno, nombres, dni, "F", institucion, "Asistente", "Lima", "", 12, 16]


ROSTER = csv_bytes(
    [
        _row(1, "Quilcaruná", "Ttito", "Eufemia Rosa", DNI, "Fiscalía"),
        _row(2, "Quispe", "Huaman", "Teodora", "40000021", CONTACT),
    ]
)


@pytest.fixture
def imported(admin_user, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.ROSTER_PREVIEW_DIR = str(tmp_path / "previews")
    report = roster_import(
        file=ROSTER, file_name=FILE_NAME, cohort=CohortFactory(), actor=admin_user
    )
    assert report.batch_id
    return Person.objects.get(document_number=DNI)


def test_her_file_name_and_the_hashes_no_longer_recognise_her(imported, admin_user) -> None:  # type: ignore[no-untyped-def]
    from intake.roster_import.staging import row_hash

    batch = ImportBatch.objects.get()
    own = SourceRecord.objects.get(person=imported)
    original_row = dict(own.raw)
    other = SourceRecord.objects.exclude(person=imported).get()
    other_hash = other.row_hash

    person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")

    batch.refresh_from_db()
    own.refresh_from_db()
    other.refresh_from_db()
    assert batch.file_name == f"{REDACTED}.csv"
    assert batch.sha256.startswith("cancelado-")
    assert len(batch.sha256) == 64
    assert own.row_hash == ""
    assert not SourceRecord.objects.filter(row_hash=row_hash(original_row)).exists()
    # Another person's row keeps its hash: importing the file again still skips it.
    assert other.row_hash == other_hash


def test_the_same_file_again_brings_her_back_as_a_new_person_and_skips_the_others(  # type: ignore[no-untyped-def]
    imported, admin_user
) -> None:
    person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")
    cohort = ImportBatch.objects.get().cohort
    again = roster_import(file=ROSTER, file_name="otra-vez.csv", cohort=cohort, actor=admin_user)
    assert again.batch_id
    newcomer = Person.objects.get(document_number=DNI, status=PersonStatus.ACTIVE)
    assert newcomer.pk != imported.pk
    assert Person.objects.filter(document_number="40000021").count() == 1


def test_a_mention_by_initial_and_surname_leaves_other_peoples_data(  # type: ignore[no-untyped-def]
    imported, admin_user, django_capture_on_commit_callbacks
) -> None:
    from django.db import connection

    from registry.reports.maintenance import report_cells_rebuild

    teodora = Person.objects.get(document_number="40000021")
    enrollment = Enrollment.objects.get(person=teodora)
    assert enrollment.institution_text == CONTACT or enrollment.institution_id
    Enrollment.objects.filter(pk=enrollment.pk).update(institution_text=CONTACT)
    IdentityRecord.objects.filter(person=teodora).update(institution=CONTACT)
    row = SourceRecord.objects.get(person=teodora)
    report_cells_rebuild()

    with django_capture_on_commit_callbacks(execute=True):
        person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")

    enrollment.refresh_from_db()
    row.refresh_from_db()
    assert enrollment.institution_text == "Fiscalía"
    assert set(
        IdentityRecord.objects.filter(person=teodora).values_list("institution", flat=True)
    ) == {"Fiscalía"}
    assert row.raw["Institución"] == f"Fiscalía - {REDACTED}"
    assert row.raw["Apellido paterno"] == "Quispe"
    assert row.raw["Nombres"] == "Teodora"
    # The report facts follow the enrollment once the cancellation commits.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT institution_text FROM registry_reportfact WHERE enrollment_id = %s",
            [enrollment.pk],
        )
        assert cursor.fetchone() == ("Fiscalía",)


@pytest.mark.parametrize(
    ("given", "paternal", "maternal"),
    [("Elmer", "Quilcaruná", "Soto"), ("Elena", "Ttito", "QUILCARUNA")],
)
def test_a_namesake_in_the_registry_keeps_the_mention(  # type: ignore[no-untyped-def]
    imported, admin_user, given, paternal, maternal
) -> None:
    # Another E. Quilcaruná is in the registry (by either surname): the mention may be theirs.
    PersonFactory(given_names=given, paternal_surname=paternal, maternal_surname=maternal)
    teodora = Person.objects.get(document_number="40000021")
    Enrollment.objects.filter(person=teodora).update(institution_text=CONTACT)
    report = person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")
    assert Enrollment.objects.get(person=teodora).institution_text == CONTACT
    assert report.mentions_left_ambiguous == 1


def test_previews_that_mention_her_are_deleted_and_the_others_kept(  # type: ignore[no-untyped-def]
    imported, admin_user, django_capture_on_commit_callbacks
) -> None:
    hers = preview_save(
        data=ROSTER, preview={"file_name": "lista.csv", "rows": [["Eufemia", "Quilcaruná"]]}
    )
    result_page = preview_save(
        data=None, preview={"rows": [{"Institución": CONTACT, "DNI": "40000021"}]}
    )
    others = preview_save(data=b"N,DNI\n1,40000099\n", preview={"rows": [["Teodora Quispe"]]})

    with django_capture_on_commit_callbacks(execute=True):
        report = person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")

    left = {path.name.split(".", 1)[0] for path in preview_folder().iterdir()}
    assert left == {others}
    assert hers not in left
    assert result_page not in left
    assert report.previews == 2


def test_her_pending_possible_duplicate_is_named_to_the_administrator(imported, admin_user) -> None:  # type: ignore[no-untyped-def]
    twin = PersonFactory(
        given_names="Eufemia",
        paternal_surname="Quilcaruna",
        maternal_surname="",
        document_number="",
    )
    first, second = sorted([imported, twin], key=lambda p: p.pk)
    DuplicateCandidate.objects.create(person_a=first, person_b=second, score=0.6)

    report = person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")

    assert report.pending_duplicates == (twin.code,)
    twin.refresh_from_db()
    assert twin.status == PersonStatus.ACTIVE


def test_the_cancel_page_warns_of_the_pending_duplicate(client, role_user, imported) -> None:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    twin = PersonFactory(given_names="Eufemia", paternal_surname="Quilcaruna", document_number="")
    first, second = sorted([imported, twin], key=lambda p: p.pk)
    DuplicateCandidate.objects.create(person_a=first, person_b=second, score=0.6)
    client.force_login(role_user("admin"))
    url = reverse("admin:participants_person_data_cancel", args=[imported.pk])
    # The confirmation page names it before anything is done, with a link to compare.
    before = client.get(url).content.decode()
    assert "Posibles duplicados sin revisar de esta persona:" in before
    assert reverse("admin:participants_person_change", args=[twin.pk]) in before
    response = client.post(
        reverse("admin:participants_person_data_cancel", args=[imported.pk]),
        {"reason": "Solicitud 30-2026", "confirm_code": imported.code},
        follow=True,
    )
    page = response.content.decode()
    assert f"Posibles duplicados sin revisar de esta persona: {twin.code}" in page


def test_previews_go_only_once_the_cancellation_commits(  # type: ignore[no-untyped-def]
    imported, admin_user, django_capture_on_commit_callbacks
) -> None:
    hers = preview_save(data=ROSTER, preview={"rows": [["Eufemia", "Quilcaruná"]]})
    with django_capture_on_commit_callbacks() as callbacks:
        person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")
    # Not yet committed: a cancellation that rolled back here would have lost nothing.
    assert {path.name.split(".", 1)[0] for path in preview_folder().iterdir()} == {hers}
    for callback in callbacks:
        callback()
    assert not list(preview_folder().iterdir())


def test_a_session_holding_an_upload_named_by_her_initial_is_ended(imported, admin_user) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    session = SessionStore()
    session["roster_import_uploads"] = {"t": {"file_name": "Fiscalía E. Quilcaruná.xlsx"}}
    session.create()
    report = person_cancel(person=imported, actor=admin_user, reason="Solicitud 30-2026")
    assert report.sessions == 1
    assert not Session.objects.filter(pk=session.session_key).exists()
