"""Users of the review pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory


def _user(username: str, *, staff: bool, perms: tuple[str, ...]) -> Any:
    user = UserFactory(username=username, is_staff=staff)
    user.user_permissions.set(Permission.objects.filter(codename__in=perms))
    return user


@pytest.fixture
def reviewer(db: Any) -> Any:
    """A registry administrator: staff, may decide pairs and undo merges."""
    return _user("reviewer", staff=True, perms=("change_duplicatecandidate", "change_mergerecord"))


@pytest.fixture
def decider(db: Any) -> Any:
    """Staff who may decide pairs but not undo merges."""
    return _user("decider", staff=True, perms=("change_duplicatecandidate",))


@pytest.fixture
def plain_staff(db: Any) -> Any:
    return _user("plain-staff", staff=True, perms=())


@pytest.fixture
def not_staff_with_perm(db: Any) -> Any:
    return _user("outsider", staff=False, perms=("change_duplicatecandidate",))
