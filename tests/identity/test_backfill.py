"""Identity records back-filled for roster rows committed before identity records existed.

Rows are imported through the real import, their records removed (the state of a registry
whose rows predate identity records), and the back-fill must give back the records the
import made, read from the rows' stored cells.
"""

from __future__ import annotations

import importlib
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.models import AuditAction, AuditEvent
from courses.models import ImportBatch, SourceRecord
from intake.identity_backfill.batches import identity_records_backfill
from intake.identity_backfill.row_values import CANCELLED, NO_HEADERS
from intake.roster_import import roster_import
from participants.models import IdentityRecord, Person, RecordSource
from participants.phonetic import name_keys
from review.merging import person_merge, person_unmerge
from tests.factories import CohortFactory, PersonFactory, SourceRecordFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

HEADER = [
    "N°",
    "Apellidos y nombres",
    "DNI",
    "Sexo",
    "Fecha de nacimiento",
    "Correo",
    "Celular",
    "Institución",
    "Cargo",
    "Región",
]
ROWS = [
    [
        1,
        "QUISPE MAMANI, Juan Carlos",
        "4567123",
        "M",
        "02/03/1985",
        "JC.Quispe@Gmail.com",
        "987654321",
        "PNP",
        "Comisario",
        "Cusco",
    ],
    [2, "De la Cruz Ñahui, María Luz", "41234567", "Femenino", "", "", "", "MINSA", "", "Puno"],
    [3, "Huamán, Rosa", "", "F", "1990-12-31", "", "(01) 4567890", "", "", ""],
]
FIELDS = (
    "person_id",
    "source",
    "source_record__id",
    "given_names",
    "paternal_surname",
    "maternal_surname",
    "dni",
    "document_type",
    "document_number",
    "sex",
    "birth_date",
    "email",
    "phone",
    "institution",
    "role",
    "region",
    "paternal_key",
    "maternal_key",
    "given_key",
)


def _import(rows: list[list[object]] = ROWS) -> None:
    report = roster_import(
        file=csv_bytes(rows, header=HEADER), file_name="lista.csv", cohort=CohortFactory()
    )
    assert report.batch_id is not None


def _records() -> list[tuple[object, ...]]:
    return sorted(
        IdentityRecord.objects.filter(source=RecordSource.ROSTER_ROW).values_list(*FIELDS)
    )


def _forget_records() -> None:
    """Rows committed before identity records existed have none."""
    SourceRecord.objects.update(identity_record=None)
    IdentityRecord.objects.filter(source=RecordSource.ROSTER_ROW).delete()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("identity_backfill", *args, stdout=out)
    return out.getvalue()


def test_the_rows_get_back_the_records_their_import_made() -> None:
    _import()
    made = _records()
    assert len(made) == 3
    _forget_records()

    report = identity_records_backfill()

    assert (report.created, report.already_present, report.unreadable) == (3, 0, [])
    assert _records() == made
    for record in IdentityRecord.objects.select_related("source_record"):
        # Keys through the one rule; the time the row was received.
        assert {
            "paternal_key": record.paternal_key,
            "maternal_key": record.maternal_key,
            "given_key": record.given_key,
        } == name_keys(
            given_names=record.given_names,
            paternal_surname=record.paternal_surname,
            maternal_surname=record.maternal_surname,
        )
        assert record.created_at == record.source_record.created_at


def test_the_command_counts_in_spanish_and_a_second_run_creates_nothing() -> None:
    _import()
    _forget_records()

    preview = _run("--dry-run")
    assert "[simulación] Registros de identidad se crearían: 3; ya existían: 0" in preview
    assert not IdentityRecord.objects.exists()

    assert "Registros de identidad creados: 3; ya existían: 0" in _run()
    made = _records()
    events = AuditEvent.objects.count()
    assert "Registros de identidad creados: 0; ya existían: 3" in _run()
    assert _records() == made
    assert AuditEvent.objects.count() == events


def test_rows_that_cannot_be_read_are_reported_with_the_reason() -> None:
    person = PersonFactory(paternal_surname="Quispe", given_names="Juan")
    no_name = SourceRecordFactory(person=person, raw={"N°": "4", "DNI": "40000009"})
    filler = SourceRecordFactory(
        person=person, batch=no_name.batch, raw={"Apellido paterno": "###", "Nombres": "Juan"}
    )
    empty = SourceRecordFactory(person=person, raw={})

    report = identity_records_backfill()

    assert report.created == 0
    reasons = {(row.batch_id, row.row_number): row.reason for row in report.unreadable}
    assert reasons[(no_name.batch_id, no_name.row_number)] == (
        "fila sin nombre ni apellidos: no identifica a una persona"
    )
    assert "'###' no es un apellido" in reasons[(filler.batch_id, filler.row_number)]
    assert reasons[(empty.batch_id, empty.row_number)] == NO_HEADERS
    output = _run()
    assert "filas que no se pudieron leer: 3" in output
    assert f"lote {no_name.batch_id} fila {no_name.row_number}" in output
    assert not IdentityRecord.objects.exists()


def test_a_document_another_active_person_holds_stays_only_in_the_row() -> None:
    holder = PersonFactory(document_number="41234567")
    person = PersonFactory(paternal_surname="Quispe", given_names="Juan", document_number="")
    row = SourceRecordFactory(
        person=person, raw={"Apellido paterno": "Quispe", "Nombres": "Juan", "DNI": "41234567"}
    )
    own = SourceRecordFactory(
        person=holder,
        raw={"Apellido paterno": holder.paternal_surname, "Nombres": "X", "DNI": "41234567"},
    )

    report = identity_records_backfill()

    assert report.created == 2
    assert report.documents_left_off == 1
    assert IdentityRecord.objects.get(source_record=row).dni == ""
    assert IdentityRecord.objects.get(source_record=own).dni == "41234567"
    assert SourceRecord.objects.get(pk=row.pk).raw["DNI"] == "41234567"


def test_a_row_a_merge_moved_gets_its_record_on_the_merged_person() -> None:
    survivor = PersonFactory(paternal_surname="Quispe", given_names="Juan", document_number="")
    merged = PersonFactory(paternal_surname="Quispe", given_names="Juan", document_number="")
    row = SourceRecordFactory(person=merged, raw={"Apellido paterno": "Quispe", "Nombres": "J."})
    merge = person_merge(survivor=survivor, merged=merged, actor=None)
    assert SourceRecord.objects.get(pk=row.pk).person_id == survivor.pk

    identity_records_backfill()

    # Where the import had put it: the merged person's records stay on its tombstone.
    assert IdentityRecord.objects.get(source_record=row).person_id == merged.pk
    person_unmerge(merge=merge, actor=None)
    assert SourceRecord.objects.get(pk=row.pk).person_id == merged.pk
    assert IdentityRecord.objects.get(source_record=row).person_id == merged.pk


def test_a_cancelled_person_gets_no_record_back() -> None:
    from data_requests.cancellation import person_cancel

    person = PersonFactory(paternal_surname="Quispe", given_names="Juan")
    row = SourceRecordFactory(person=person, raw={"Apellido paterno": "Quispe", "Nombres": "Juan"})
    person_cancel(person=person, actor=None, reason="Solicitud 2026-17")

    report = identity_records_backfill()

    assert [r.reason for r in report.unreadable] == [CANCELLED]
    assert not IdentityRecord.objects.filter(source_record=row).exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_runs_the_same_service_with_its_own_models() -> None:
    """On a database at the migration (before the provenance moved to courses), then
    migrated forward: the records, and each row's link to its record, are as the import
    made them."""
    _import()
    made = _records()
    _forget_records()
    before = [
        ("courses", "0009_identity_records_backfill"),
        ("participants", "0008_recompute_name_keys"),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    state = executor.loader.project_state(before)
    migration = importlib.import_module("courses.migrations.0009_identity_records_backfill")
    try:
        migration.backfill(state.apps, None)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert _records() == made
    event = AuditEvent.objects.get(action=AuditAction.MAINTENANCE)
    assert event.details["created"] == 3
    assert event.object_type == "participants.importbatch"  # the label of its time
    assert list(AuditEvent.objects.for_object(ImportBatch.objects.get())) == [event]
    assert Person.objects.count() == 3


def test_the_registry_learns_from_the_new_records_as_after_an_import() -> None:
    person = PersonFactory(paternal_surname="Quispe", given_names="Ana", email="", phone="")
    SourceRecordFactory(
        person=person,
        raw={"Apellido paterno": "Quispe", "Nombres": "Ana", "Correo": "ana.quispe@mimp.gob.pe"},
    )

    identity_records_backfill()

    # Survivorship fills what the person lacks from its records.
    person.refresh_from_db()
    assert person.email == "ana.quispe@mimp.gob.pe"
