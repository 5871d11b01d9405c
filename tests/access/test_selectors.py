"""accounts.access: who sees which rows."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.access.rows import (
    can_view_person,
    cohorts_visible_to,
    enrollments_visible_to,
    persons_visible_to,
    scores_visible_to,
    source_records_visible_to,
)
from accounts.access.user_scope import can_manage_cohort
from accounts.roles import ADMINISTRATOR, user_grant_role
from participants.models import PersonStatus
from tests.factories import (
    CohortFactory,
    EnrollmentFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
    SourceRecordFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """Two schools, each with a cohort and a participant, plus one person in both."""
    school_a, school_b = SchoolFactory(acronym="A"), SchoolFactory(acronym="B")
    cohort_a, cohort_b = CohortFactory(school=school_a), CohortFactory(school=school_b)
    alice, bruno, shared = PersonFactory(), PersonFactory(), PersonFactory()
    enr_alice = EnrollmentFactory(person=alice, cohort=cohort_a)
    enr_bruno = EnrollmentFactory(person=bruno, cohort=cohort_b)
    enr_shared_a = EnrollmentFactory(person=shared, cohort=cohort_a)
    enr_shared_b = EnrollmentFactory(person=shared, cohort=cohort_b)
    return {
        "school_a": school_a,
        "cohort_a": cohort_a,
        "cohort_b": cohort_b,
        "alice": alice,
        "bruno": bruno,
        "shared": shared,
        "enr_alice": enr_alice,
        "enr_bruno": enr_bruno,
        "enr_shared_a": enr_shared_a,
        "enr_shared_b": enr_shared_b,
        "score_b": ScoreFactory(enrollment=enr_bruno),
        "score_a": ScoreFactory(enrollment=enr_alice),
        "record_b": SourceRecordFactory(person=bruno, enrollment=enr_bruno, batch__cohort=cohort_b),
    }


def test_school_staff_see_only_their_school(world, role_user) -> None:  # type: ignore[no-untyped-def]
    user = role_user("school", school=world["school_a"])
    assert list(cohorts_visible_to(user)) == [world["cohort_a"]]
    assert set(persons_visible_to(user)) == {world["alice"], world["shared"]}
    assert set(enrollments_visible_to(user)) == {world["enr_alice"], world["enr_shared_a"]}
    assert list(scores_visible_to(user)) == [world["score_a"]]
    assert not source_records_visible_to(user).exists()
    assert can_view_person(user, world["shared"])
    assert not can_view_person(user, world["bruno"])
    assert can_manage_cohort(user, world["cohort_a"])
    assert not can_manage_cohort(user, world["cohort_b"])


def test_administrators_see_everything(world, role_user, admin_user) -> None:  # type: ignore[no-untyped-def]
    for user in (role_user("admin"), admin_user):
        assert cohorts_visible_to(user).count() == 2
        assert persons_visible_to(user).count() == 3
        assert enrollments_visible_to(user).count() == 4
        assert can_view_person(user, world["bruno"])
        assert can_manage_cohort(user, world["cohort_b"])


def test_analysts_see_no_person_rows(world, role_user) -> None:  # type: ignore[no-untyped-def]
    user = role_user("analyst")
    assert not persons_visible_to(user).exists()
    assert not enrollments_visible_to(user).exists()
    assert not scores_visible_to(user).exists()
    assert not can_view_person(user, world["alice"])
    assert not can_manage_cohort(user, world["cohort_a"])
    # Cohorts carry no personal data; analysts filter reports by them.
    assert cohorts_visible_to(user).count() == 2


def test_anonymous_and_roleless_users_see_nothing(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    for user in (AnonymousUser(), UserFactory(is_staff=True)):
        assert not cohorts_visible_to(user).exists()
        assert not persons_visible_to(user).exists()
        assert not enrollments_visible_to(user).exists()


def test_cancelled_persons_vanish_from_school_listings(world, role_user) -> None:  # type: ignore[no-untyped-def]
    user = role_user("school", school=world["school_a"])
    world["alice"].status = PersonStatus.CANCELLED
    world["alice"].save()
    assert world["alice"] not in persons_visible_to(user)
    assert world["enr_alice"] not in enrollments_visible_to(user)
    assert not scores_visible_to(user).exists()


def test_membership_wins_over_the_administrators_group(world, role_user) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Group

    user = role_user("school", school=world["school_a"])
    user.groups.add(Group.objects.get(name=ADMINISTRATOR))
    assert list(cohorts_visible_to(user)) == [world["cohort_a"]]


def test_inactive_administrator_sees_nothing(world) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import UserFactory

    user = UserFactory(is_active=False)
    user_grant_role(user=user, role=ADMINISTRATOR)
    assert not persons_visible_to(user).exists()
