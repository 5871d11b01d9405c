from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count

from courses.models import Enrollment
from participants.models import DuplicateCandidate, Person, Sex

pytestmark = pytest.mark.django_db


def test_demo_has_repeat_participants_missing_sex_and_review_pairs(capsys) -> None:
    call_command("load_demo", persons=120, seed=3, admin="demo-admin")
    out = capsys.readouterr().out
    assert "Demo loaded" in out
    assert "demo-admin / " in out
    assert "demo-admin-analista / " in out
    assert "demo-admin-escuela / " in out

    per_person = Enrollment.objects.values("person").annotate(n=Count("id"))
    assert any(row["n"] >= 2 for row in per_person)
    assert Person.objects.filter(sex=Sex.NOT_RECORDED).exists()
    assert Person.objects.exclude(sex=Sex.NOT_RECORDED).exists()
    assert DuplicateCandidate.objects.count() == 12


def test_demo_is_not_loaded_twice(capsys) -> None:
    call_command("load_demo", persons=30, seed=1)
    count = Person.objects.count()
    call_command("load_demo", persons=30, seed=1)
    assert Person.objects.count() == count
    assert "already has persons" in capsys.readouterr().out
