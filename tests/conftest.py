"""Fixtures shared by the whole suite."""

from __future__ import annotations

import factory.random
import pytest
from django.db import connection

from tests.factories import CohortFactory, PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def _seeded_factories() -> None:
    """Every test draws the same Faker names and factory choices, whatever ran before it."""
    factory.random.reseed_random(20261201)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Look-up budgets (accounts.lookup_limits) count in the cache: each test starts afresh."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def postgres_only(is_postgres: bool) -> None:
    """For tests of behaviour only PostgreSQL has (row locks under concurrent transactions).

    The CI runs the suite on both databases, so such a test runs in the PostgreSQL pass.
    """
    if not is_postgres:
        pytest.skip("needs PostgreSQL; runs in the PostgreSQL pass of the suite")


@pytest.fixture
def admin_user(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="registry-admin", is_staff=True, is_superuser=True)


@pytest.fixture
def person(db):  # type: ignore[no-untyped-def]
    return PersonFactory()


@pytest.fixture
def cohort(db):  # type: ignore[no-untyped-def]
    return CohortFactory()


@pytest.fixture
def role_user(db):  # type: ignore[no-untyped-def]
    """Make a user with one role: role_user("admin"), role_user("analyst"),
    role_user("school", school=some_school). Password: correct-horse-battery-staple."""
    from accounts.roles import ROLE_SLUGS, user_grant_role

    def make(role: str, *, school=None, username=None):  # type: ignore[no-untyped-def]
        user = UserFactory(**({"username": username} if username else {}))
        user_grant_role(user=user, role=ROLE_SLUGS[role], school=school)
        return user

    return make
