"""Column profiles: what a school's (or provider's) rosters' headers are read as.

`column_profile_for` is what an import reads; `column_profile_set` is what an administrator's
mapping in a preview writes, and `column_profile_delete` takes a mapping back. Writes are
audited (the header and the field, never a cell of the file).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort, ColumnProfile, School
from courses.roster_fields import PROFILE_CHOICES
from intake.roster_import.columns import header_key
from participants.names import fold

_FIELDS = frozenset(value for value, _label in PROFILE_CHOICES)


class ColumnProfileError(ValueError):
    """A mapping that cannot be kept (no owner, an unknown field, a blank header)."""


def profile_owner(cohort: Cohort) -> tuple[School | None, str]:
    """(school, provider) whose profile a cohort's rosters use: its school, else its
    course's provider folded; (None, "") when it has neither."""
    if cohort.school_id:
        return cohort.school, ""
    provider = fold(cohort.course.provider)[:200] if cohort.course_id else ""
    return None, provider


def column_profile_for(*, cohort: Cohort) -> dict[str, str]:
    """Header key -> field (or "ignore") for the rosters of `cohort`'s school or provider."""
    if cohort.pk is None:
        return {}
    school, provider = profile_owner(cohort)
    if school is None and not provider:
        return {}
    rows = (
        ColumnProfile.objects.filter(school=school)
        if school is not None
        else ColumnProfile.objects.filter(school__isnull=True, provider=provider)
    )
    return dict(rows.values_list("header_key", "field"))


@transaction.atomic
def column_profile_set(
    *, cohort: Cohort, header: str, field: str, actor: User | None
) -> ColumnProfile:
    """Remember that `header` is read as `field` in the rosters of `cohort`'s owner."""
    school, provider = profile_owner(cohort)
    key = header_key(header)
    if school is None and not provider:
        raise ColumnProfileError("la cohorte no tiene escuela ni el curso un proveedor")
    if field not in _FIELDS:
        raise ColumnProfileError(f"campo '{field}' desconocido")
    if not key:
        raise ColumnProfileError("encabezado vacío")
    # No ordering: FOR UPDATE may not lock the outer-joined school of the model's ordering.
    existing = (
        ColumnProfile.objects.order_by()
        .select_for_update()
        .filter(school=school, provider=provider, header_key=key)
    )
    profile = existing.first() or ColumnProfile(school=school, provider=provider, header_key=key)
    previous = profile.field if profile.pk else ""
    profile.header, profile.field, profile.updated_by = header[:200], field, actor
    profile.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        # Another user mapped the same new header at the same moment: theirs is updated.
        profile = existing.get()
        previous = profile.field
        profile.header, profile.field, profile.updated_by = header[:200], field, actor
        profile.save()
    audit_record(
        actor=actor,
        action=AuditAction.COLUMN_MAP,
        obj=school if school is not None else cohort,
        details={
            "header": profile.header,
            "field": field,
            "previous_field": previous,
            "owner": school.acronym if school is not None else provider,
        },
    )
    return profile


@transaction.atomic
def column_profile_delete(*, profile: ColumnProfile, actor: User | None) -> None:
    """Forget one remembered header: the next roster lists it as unread again."""
    audit_record(
        actor=actor,
        action=AuditAction.COLUMN_MAP,
        obj=profile.school,
        details={
            "header": profile.header,
            "field": "",
            "previous_field": profile.field,
            "owner": profile.owner_label,
        },
    )
    profile.delete()
