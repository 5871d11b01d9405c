"""Two imports of the same file at the same moment: one batch, the other says so."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from courses.roster_import import roster_import
from participants.models import ImportBatch, Person
from tests.factories import CohortFactory
from tests.roster_import.files import ROWS, csv_bytes


@pytest.mark.django_db(transaction=True)
def test_same_file_imported_twice_concurrently(postgres_only: None) -> None:
    cohort = CohortFactory()
    data = csv_bytes(ROWS)
    statuses: list[str] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        try:
            barrier.wait()
            statuses.append(roster_import(file=data, file_name="l.csv", cohort=cohort).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == ["already_imported", "committed"]
    assert ImportBatch.objects.count() == 1
    assert Person.objects.count() == 3
