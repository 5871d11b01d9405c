"""One rounding rule for match probabilities: the queue, the pair page and the reasons agree."""

from __future__ import annotations

import pytest
from django.test import Client

from formats.numbers import probability_shown
from tests.factories import DuplicateCandidateFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "shown"), [(0.996, "0.99"), (0.9999, "0.99"), (1.0, "1.00"), (0.29, "0.29")]
)
def test_a_probability_is_rounded_down_to_two_places(value: float, shown: str) -> None:
    assert probability_shown(value) == shown


def test_the_queue_and_the_pair_page_show_the_probability_the_same_way(
    client: Client,
    role_user,  # type: ignore[no-untyped-def]
) -> None:
    pair = DuplicateCandidateFactory(score=0.996)
    client.force_login(role_user("admin"))
    queue = client.get("/review/").content.decode()
    page = client.get(f"/review/pair/{pair.pk}/").content.decode()
    for html in (queue, page):
        assert "0.99" in html
        assert "1.00" not in html
    assert str(pair).endswith("(0.99)")
