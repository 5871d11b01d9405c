"""The matching seam: exact DNI links, repeats within the file, output schema."""

from __future__ import annotations

import pandas as pd
import pytest

from participants.matching import RECORD_COLUMNS, RESULT_COLUMNS, match_rows
from participants.models import PersonStatus
from tests.factories import PersonFactory


def _frame(*records: dict[str, str]) -> pd.DataFrame:
    rows = [{column: record.get(column, "") for column in RECORD_COLUMNS} for record in records]
    return pd.DataFrame(rows, index=range(10, 10 + len(rows)))


@pytest.mark.django_db
def test_links_on_an_active_persons_dni_or_its_survivors() -> None:
    active = PersonFactory(document_number="40000001")
    survivor = PersonFactory(document_number="")
    PersonFactory(document_number="40000002", status=PersonStatus.MERGED, merged_into=survivor)
    result = match_rows(
        _frame(
            {"paternal_surname": "QUISPE", "dni": "40000001"},
            {"paternal_surname": "FLORES", "dni": "40000002"},
            {"paternal_surname": "DIAZ", "dni": ""},
        )
    )
    assert list(result.columns) == list(RESULT_COLUMNS)
    assert list(result.index) == [10, 11, 12]
    assert result.loc[10, "outcome"] == "linked"
    assert result.loc[10, "person_id"] == active.pk
    assert result.loc[10, "score"] == 1.0
    # A DNI left on a merged tombstone links to the person it was merged into.
    assert result.loc[11, "outcome"] == "linked"
    assert result.loc[11, "person_id"] == survivor.pk
    assert result.loc[12, "outcome"] == "new"


@pytest.mark.django_db
def test_repeats_in_the_file_by_dni_or_name_and_birth_date() -> None:
    person = PersonFactory(document_number="40000001")
    result = match_rows(
        _frame(
            {"paternal_surname": "QUISPE", "given_names": "JUAN", "dni": "40000001"},
            {"paternal_surname": "QUISPE", "given_names": "JUAN", "birth_date": "1990-01-02"},
            {"paternal_surname": "QUISPE", "given_names": "J", "dni": "40000001"},
            {"paternal_surname": "QUISPE", "given_names": "JUAN", "birth_date": "1990-01-02"},
            {"paternal_surname": "QUISPE", "given_names": "JUAN"},
        )
    )
    assert result["outcome"].tolist() == ["linked", "new", "repeated", "repeated", "new"]
    assert result.loc[12, "same_as_row"] == 10
    assert result.loc[12, "person_id"] == person.pk  # follows its first row
    assert result.loc[13, "same_as_row"] == 11
    assert pd.isna(result.loc[14, "same_as_row"])  # same name alone is not enough


@pytest.mark.django_db
def test_empty_frame() -> None:
    result = match_rows(_frame())
    assert result.empty
    assert list(result.columns) == list(RESULT_COLUMNS)
