"""Which person each imported roster row became: the benchmark's view of the registry.

The score joins the labelled rosters to the registry on (file, spreadsheet row), so it reads
every committed row with the code of the person it belongs to now - merged persons followed
along `merged_into`, cancelled ones left out. Participants' own exports are by participation
(`export_participations`) and carry no file or row; this reading is the benchmark's, run in
the registry's process by `manage.py shell` against the database under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

COLUMNS = ("archivo", "fila", "codigo_participante", "resultado")


def write(path: str) -> int:
    """Write the rows to `path` (CSV, UTF-8); returns how many."""
    from courses.models import BatchStatus, RowOutcome, SourceRecord
    from participants.merge_chains import chain_ends
    from participants.models import Person, PersonStatus

    people = {
        pk: (code, into, status)
        for pk, code, into, status in Person.objects.values_list(
            "pk", "code", "merged_into_id", "status"
        ).iterator(chunk_size=5000)
    }
    ends = chain_ends({pk: into for pk, (_, into, _) in people.items()})
    records = (
        SourceRecord.objects.filter(
            enrollment__isnull=False,
            batch__status__in=(BatchStatus.COMMITTED, BatchStatus.PARTIAL),
        )
        .exclude(outcome=RowOutcome.REJECTED)
        .order_by("batch_id", "row_number")
        .values_list("batch__file_name", "row_number", "enrollment__person_id", "outcome")
    )
    count = 0
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for file_name, row_number, person_id, outcome in records.iterator(chunk_size=5000):
            end = ends.get(person_id, person_id)
            code, _, status = people[end]
            if status == PersonStatus.CANCELLED:
                continue
            writer.writerow([file_name, row_number, code, str(RowOutcome(outcome).label)])
            count += 1
    return count
