"""Whose rows a user works with: the whole registry's, one school's, or none.

- Superusers and "Registry administrator" members are registry administrators.
- A user with a SchoolMembership is "Training school staff" of that school.

A membership wins over a group: a user tied to a school is scoped to it even if someone also
put them in the administrators' group, because the narrower reading is the safe one.
"""

from __future__ import annotations

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AnonymousUser

from accounts.roles import ADMIN_CACHE, ADMINISTRATOR, SCHOOL_CACHE
from courses.models import Cohort, School

# The project's user model (AUTH_USER_MODEL is Django's own) or the anonymous visitor:
# what `request.user` is.
User = auth_models.User | AnonymousUser


def user_school(user: User) -> School | None:
    """The school a staff user belongs to, or None (cached on the user object)."""
    if not user.is_authenticated:
        return None
    # Cached in the user object's own attributes: the admin asks several times per page.
    cache = vars(user)
    if SCHOOL_CACHE not in cache:
        from accounts.models import SchoolMembership

        membership = (
            SchoolMembership.objects.filter(user_id=user.pk).select_related("school").first()
        )
        cache[SCHOOL_CACHE] = membership.school if membership else None
    school: School | None = cache[SCHOOL_CACHE]
    return school


def is_registry_admin(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user_school(user) is not None:
        return False
    # Cached on the user object: the admin asks this several times per row on one page.
    cache = vars(user)
    if ADMIN_CACHE not in cache:
        cache[ADMIN_CACHE] = user.groups.filter(name=ADMINISTRATOR).exists()
    return bool(cache[ADMIN_CACHE])


def is_school_staff(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user_school(user) is not None
    )


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Register participants, enter scores, edit: admins and the cohort's own school."""
    if is_registry_admin(user):
        return True
    return is_school_staff(user) and cohort.school_id == user_school(user).pk  # type: ignore[union-attr]


__all__ = [
    "can_manage_cohort",
    "is_registry_admin",
    "is_school_staff",
    "user_school",
]
