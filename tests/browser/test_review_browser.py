"""An administrator resolves the top pair of the review queue in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accounts.roles import ADMINISTRATOR, user_grant_role
from participants.models import (
    DuplicateCandidate,
    MergeRecord,
    Person,
    PersonStatus,
)
from tests.factories import DuplicateCandidateFactory, PersonFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def test_administrator_merges_the_top_pair_and_the_queue_shrinks(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    rosa = PersonFactory(
        given_names="Rosa", paternal_surname="Quispe", maternal_surname="Mamani", document_number=""
    )
    rosa_elena = PersonFactory(
        given_names="Rosa Elena",
        paternal_surname="Quispe",
        maternal_surname="Mamani",
        document_number="04512345",
    )
    top = DuplicateCandidateFactory(person_a=rosa, person_b=rosa_elena, score=0.93)
    DuplicateCandidateFactory(score=0.61)
    admin = UserFactory(username="revisora")
    user_grant_role(user=admin, role=ADMINISTRATOR)

    page.goto(f"{live_server.url}/admin/login/?next=/review/")
    page.fill("#id_username", "revisora")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/review/")
    assert "2 pares por revisar" in page.locator("main").inner_text()
    first_row = page.locator("table.queue tbody tr").first
    assert rosa.code in first_row.inner_text()

    first_row.locator("text=Revisar").click()
    page.wait_for_url(f"{live_server.url}/review/**")
    assert page.locator("h1").inner_text() == "¿Son la misma persona?"
    header = page.locator("table.compare thead").inner_text()
    # Both records side by side: A's code and B's code head their own columns.
    assert f"A: {rosa.code}" in header
    assert f"B: {rosa_elena.code}" in header
    body = page.locator("table.compare tbody").inner_text()
    assert "Rosa Elena" in body
    assert "04512345" in body
    page.screenshot(path=str(tmp_path / "review-pair.png"), full_page=True)

    page.click("button[name=decision][value=same]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/review/")
    assert "1 par por revisar" in page.locator("main").inner_text()
    assert rosa.code not in page.locator("table.queue").inner_text()

    top.refresh_from_db()
    assert top.decision == "same"
    assert top.decided_by == admin
    merge = MergeRecord.objects.get(candidate=top)
    assert merge.survivor == rosa
    assert merge.merged == rosa_elena
    assert Person.objects.get(pk=rosa_elena.pk).status == PersonStatus.MERGED
    assert Person.objects.get(pk=rosa_elena.pk).merged_into == rosa
    assert DuplicateCandidate.objects.filter(decision="pending").count() == 1
