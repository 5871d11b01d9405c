"""The three roles of the registry as Django groups, and granting one to a user.

The groups' permissions are owned by this module: `roles_setup` sets each group to exactly
the list below (so a permission added by hand in the admin does not silently widen a role),
and runs after every `migrate` (see `accounts.apps`) and from `manage.py setup_roles`.

A permission only says what *kind* of row a role may touch. Which rows - the school staff
seeing only their own school, sensitive participations only to their own school and to the
users granted `NOT_BY_ROLE` - is decided in `accounts.access`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.models import User
from django.db import transaction

# Group names are shown as they are stored (the admin's user and group pages), so they are
# stored in the users' language.
ADMINISTRATOR = "Administrador del registro"
ANALYST = "Analista"
SCHOOL_STAFF = "Personal de escuela"
ROLE_NAMES = (ADMINISTRATOR, ANALYST, SCHOOL_STAFF)
# The names the groups had before; roles_setup renames such a group in place, keeping its users.
LEGACY_ROLE_NAMES = {
    "Registry administrator": ADMINISTRATOR,
    "Analyst": ANALYST,
    "Training school staff": SCHOOL_STAFF,
}
# Short names for commands and tests.
ROLE_SLUGS = {"admin": ADMINISTRATOR, "analyst": ANALYST, "school": SCHOOL_STAFF}

# Where accounts.access caches a user's school and whether they administer the registry, on
# the user object itself; a change of role forgets both.
SCHOOL_CACHE = "_registry_school"
ADMIN_CACHE = "_registry_admin"

# Permissions the other areas define on their own models; created here when this runs first
# so the groups are complete whatever the order of migrations: (app, codename, model, name).
EXTRA_PERMISSIONS = (
    ("courses", "import_roster", "cohort", "Puede importar una lista a una cohorte"),
    (
        "registry",
        "view_reports",
        "reportaccess",
        "Puede ver informes y exportaciones seudonimizadas",
    ),
)

# Held by no role, not even through "app.*": seeing participations in courses for
# trafficking survivors (`accounts.access.sensitive`) is granted to named users on their
# admin page - audited as a role change - by whoever answers for that data. An administrator
# resolves duplicates and corrects records without it: the pages say how many
# participations they leave out.
NOT_BY_ROLE = frozenset({"courses.view_sensitive_participation"})

# "app.*" means every permission of every model of the app (but those NOT_BY_ROLE).
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    ADMINISTRATOR: (
        "participants.*",
        "courses.*",
        "assessments.*",
        "accounts.*",
        "audit.view_auditevent",
        "registry.view_reports",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
    ),
    ANALYST: ("registry.view_reports",),
    SCHOOL_STAFF: (
        "courses.view_course",
        "courses.view_cohort",
        "courses.add_cohort",
        "courses.change_cohort",
        "courses.view_enrollment",
        "courses.add_enrollment",
        "courses.change_enrollment",
        "courses.import_roster",
        "assessments.view_score",
        "assessments.add_score",
        "assessments.change_score",
        # No add_person: a school brings persons to the registry through its cohorts'
        # registration pages (consent, enrollment, the duplicate check). A person added in
        # the admin would have none of these, and no enrollment, so the school could not
        # even see it afterwards (accounts.access.rows.persons_visible_to).
        "participants.view_person",
    ),
}


@dataclass(frozen=True)
class RolesReport:
    groups_created: int
    permissions_created: int
    permissions_assigned: int


def roles_setup(*, apps: Any = global_apps) -> RolesReport:
    """Create (or bring up to date) the three groups. Idempotent."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    content_type_model = apps.get_model("contenttypes", "ContentType")

    created_permissions = 0
    for app_label, codename, model, name in EXTRA_PERMISSIONS:
        if permission_model.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).exists():
            continue
        content_type, _ = content_type_model.objects.get_or_create(app_label=app_label, model=model)
        permission_model.objects.create(content_type=content_type, codename=codename, name=name)
        created_permissions += 1

    for legacy, role in LEGACY_ROLE_NAMES.items():
        if not group_model.objects.filter(name=role).exists():
            group_model.objects.filter(name=legacy).update(name=role)

    groups_created = assigned = 0
    for role, patterns in ROLE_PERMISSIONS.items():
        group, created = group_model.objects.get_or_create(name=role)
        groups_created += created
        wanted: set[int] = set()
        for pattern in patterns:
            app_label, codename = pattern.split(".", 1)
            permissions = permission_model.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                permissions = permissions.filter(codename=codename)
            wanted.update(
                pk
                for pk, codename in permissions.values_list("pk", "codename")
                if f"{app_label}.{codename}" not in NOT_BY_ROLE
            )
        group.permissions.set(wanted)
        assigned += len(wanted)
    return RolesReport(groups_created, created_permissions, assigned)


@transaction.atomic
def user_grant_role(
    *,
    user: User,
    role: str,
    school: Any = None,
    actor: User | None = None,
) -> None:
    """Give `user` exactly one role (replacing any other) and, for school staff, a school.

    Role users are staff so they sign in through the same login page and use the admin
    pages their permissions open; the superuser flag is never granted here.
    """
    from django.contrib.auth.models import Group

    from accounts.models import SchoolMembership
    from audit.models import AuditAction
    from audit.services import audit_record

    if role not in ROLE_NAMES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLE_NAMES)}.")
    if (role == SCHOOL_STAFF) != (school is not None):
        raise ValueError("A school is required for school staff, and only for them.")
    if not Group.objects.filter(name=role).exists():
        roles_setup()
    user.groups.remove(*Group.objects.filter(name__in=ROLE_NAMES).exclude(name=role))
    user.groups.add(Group.objects.get(name=role))
    if school is not None:
        SchoolMembership.objects.update_or_create(user=user, defaults={"school": school})
    else:
        SchoolMembership.objects.filter(user=user).delete()
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    for cached in (SCHOOL_CACHE, ADMIN_CACHE):
        user.__dict__.pop(cached, None)
    audit_record(
        actor=actor,
        action=AuditAction.ROLE_CHANGE,
        obj=user,
        details={"role": role, "school": getattr(school, "acronym", None)},
    )
