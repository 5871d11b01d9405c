"""The single place that decides which rows a user may see.

- Superusers and "Registry administrator" members: everything.
- "Training school staff" (a user with a SchoolMembership): the cohorts of their school, the
  enrollments and scores in them, and the persons enrolled in them - never another school's
  rows, and never a cancelled person (cancellation removes a person from every listing).
- Analysts and everyone else: no person-level rows at all (analysts work from aggregated
  reports). Analysts may list cohorts, which carry no personal data, to filter reports.

A membership wins over a group: a user tied to a school is scoped to it even if someone also
put them in the administrators' group, because the narrower reading is the safe one.

Seeing a person's row is not reading their personal data (names, DNI, sex, birth date,
e-mail, phone). A school reads a person's personal data only as far as the school itself
supplied it (`persons_as_seen_by`, on every page, form label and list a school user sees):
- a person another school brought to the registry (the school of the person's first
  enrollment) stays "ya registrada" to every other school - its participant code and nothing
  else - even once a roster or a registration of theirs has linked to the person and enrolled
  them in their cohort: the link keeps the registry counting one person, it never opens
  another school's data;
- to the school that brought the person, a value that only another school supplied (a DNI
  or a phone a later roster of theirs added) is withheld, and the school's own value for that
  field, if it gave one, shown instead.
Which school supplied what is read from the person's enrollments and identity records
(`accounts.person_sources`).

Everything else - admin classes (through `accounts.admin_scoping`), views, exports, the
import's person lookup, any later API - asks these functions instead of filtering on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import models as auth_models
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.person_sources import RECORD_FIELDS, PersonSources, person_sources
from accounts.roles import ADMINISTRATOR
from assessments.models import Score
from courses.models import Cohort, Enrollment, ImportBatch, School, SourceRecord
from participants.models import Person, PersonStatus, Sex
from participants.names import fold

# The project's user model (AUTH_USER_MODEL is Django's own) or the anonymous visitor:
# what `request.user` is.
User = auth_models.User | AnonymousUser
_SCHOOL_CACHE = "_registry_school"
_ADMIN_CACHE = "_registry_admin"


def user_school(user: User) -> School | None:
    """The school a staff user belongs to, or None (cached on the user object)."""
    if not user.is_authenticated:
        return None
    # Cached in the user object's own attributes: the admin asks several times per page.
    cache = vars(user)
    if _SCHOOL_CACHE not in cache:
        from accounts.models import SchoolMembership

        membership = (
            SchoolMembership.objects.filter(user_id=user.pk).select_related("school").first()
        )
        cache[_SCHOOL_CACHE] = membership.school if membership else None
    school: School | None = cache[_SCHOOL_CACHE]
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
    if _ADMIN_CACHE not in cache:
        cache[_ADMIN_CACHE] = user.groups.filter(name=ADMINISTRATOR).exists()
    return bool(cache[_ADMIN_CACHE])


def is_school_staff(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user_school(user) is not None
    )


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    if is_registry_admin(user):
        return Cohort.objects.all()
    if is_school_staff(user):
        return Cohort.objects.filter(school=user_school(user))
    if user.is_authenticated and user.is_active and user.has_perm("registry.view_reports"):
        return Cohort.objects.all()
    return Cohort.objects.none()


def enrollments_visible_to(user: User) -> QuerySet[Enrollment]:
    if is_registry_admin(user):
        return Enrollment.objects.all()
    if is_school_staff(user):
        return Enrollment.objects.filter(cohort__school=user_school(user)).exclude(
            person__status=PersonStatus.CANCELLED
        )
    return Enrollment.objects.none()


def persons_visible_to(user: User) -> QuerySet[Person]:
    if is_registry_admin(user):
        return Person.objects.all()
    if is_school_staff(user):
        # A subquery rather than a join, so the result has no duplicate rows and stays
        # usable by the admin (ordering, search, counting) as a plain queryset.
        enrolled = Enrollment.objects.filter(cohort__school=user_school(user)).values("person_id")
        return Person.objects.filter(pk__in=enrolled, status=PersonStatus.ACTIVE)
    return Person.objects.none()


def scores_visible_to(user: User) -> QuerySet[Score]:
    if is_registry_admin(user):
        return Score.objects.all()
    if is_school_staff(user):
        return Score.objects.filter(enrollment__in=enrollments_visible_to(user).values("pk"))
    return Score.objects.none()


def batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    if is_registry_admin(user):
        return ImportBatch.objects.all()
    if is_school_staff(user):
        return ImportBatch.objects.filter(cohort__school=user_school(user))
    return ImportBatch.objects.none()


def source_records_visible_to(user: User) -> QuerySet[SourceRecord]:
    if is_registry_admin(user):
        return SourceRecord.objects.all()
    if is_school_staff(user):
        return SourceRecord.objects.filter(batch__cohort__school=user_school(user)).exclude(
            person__status=PersonStatus.CANCELLED
        )
    return SourceRecord.objects.none()


# Model -> selector. The admin mixin and `visible_to` dispatch through it.
_SCOPES: dict[type[models.Model], Any] = {
    Cohort: cohorts_visible_to,
    Enrollment: enrollments_visible_to,
    Person: persons_visible_to,
    Score: scores_visible_to,
    ImportBatch: batches_visible_to,
    SourceRecord: source_records_visible_to,
}


def is_scoped(model: type[models.Model]) -> bool:
    """Whether rows of `model` are cut down per user (models without personal rows are not)."""
    return model in _SCOPES


def visible_to(user: User, model: type[models.Model]) -> QuerySet[Any]:
    """The rows of `model` the user may see; models without personal rows are unscoped."""
    scope = _SCOPES.get(model)
    return scope(user) if scope else model._default_manager.all()


def can_view_person(user: User, person: Person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


# --- personal data: what of a visible person the user may read ------------------------------

# Shown in place of the name of a person whose personal data the user may not read.
REGISTERED_ELSEWHERE = "ya registrada"
NAME_FIELDS = ("given_names", "paternal_surname", "maternal_surname")
PERSONAL_FIELDS = (*RECORD_FIELDS, "document_type")
_WITHHELD: dict[str, Any] = {"sex": Sex.NOT_RECORDED, "birth_date": None}


def persons_as_seen_by(user: User, persons: Iterable[Person]) -> list[Person]:
    """The persons as `user` may read them, in the same order (see the module docstring).

    Registry administrators get the persons themselves. Anyone else gets copies in which
    every value they may not read is withheld; a copy refuses to be saved, so a withheld
    (blank) value can never be written over the person. Each person returned carries
    `details_withheld` (True: show it as "ya registrada") and `seen_name` (the name to show).
    A person outside `persons_visible_to` is withheld entirely, its code included.
    """
    persons = list(persons)
    if is_registry_admin(user):
        for person in persons:
            person.details_withheld = False  # type: ignore[attr-defined]
            person.seen_name = person.full_name  # type: ignore[attr-defined]
        return persons
    school = user_school(user) if is_school_staff(user) else None
    visible: set[int] = set()
    if school is not None:
        visible = set(
            persons_visible_to(user)
            .filter(pk__in=[person.pk for person in persons])
            .values_list("pk", flat=True)
        )
    sources = person_sources(visible)
    seen = []
    for person in persons:
        if person.pk not in visible:
            seen.append(_copy(person, _all_withheld(code=True)))
        elif sources[person.pk].first_school_id != school.pk:  # type: ignore[union-attr]
            seen.append(_copy(person, _all_withheld(code=False)))
        else:
            seen.append(_copy(person, _own_values(person, sources[person.pk], school.pk)))  # type: ignore[union-attr]
    return seen


def person_as_seen_by(user: User, person: Person) -> Person:
    return persons_as_seen_by(user, [person])[0]


def person_label(user: User, person: Person) -> str:
    """How a form or a page names a person to `user`: code and name, as far as readable."""
    return _label_of_seen(person_as_seen_by(user, person))


def _label_of_seen(seen: Person) -> str:
    return " ".join(part for part in (seen.code, seen.seen_name) if part)  # type: ignore[attr-defined]


def rows_as_seen_by(user: User, rows: Iterable[models.Model]) -> None:
    """Point every person foreign key of `rows` at the person as `user` may read them.

    In place and for display only: whatever shows a row afterwards (a page, a read-only
    field, the row's own str()) reads its persons through `persons_as_seen_by`. One batch of
    queries for all the rows; registry administrators' rows are left as they are.
    """
    if is_registry_admin(user):
        return
    links = [
        (row, field)
        for row in rows
        for field in row._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.related_model is Person
        and getattr(row, field.attname) is not None
    ]
    if not links:
        return
    ids = {getattr(row, field.attname) for row, field in links}
    seen = {
        person.pk: person
        for person in persons_as_seen_by(user, Person.objects.filter(pk__in=ids).order_by("pk"))
    }
    for row, field in links:
        field.set_cached_value(row, seen[getattr(row, field.attname)])


def _comparable(field: str, value: Any) -> str:
    """A value in the form two sources agree on (accents, case and phone spacing aside)."""
    if value in (None, "") or (field == "sex" and value == Sex.NOT_RECORDED):
        return ""
    if field in NAME_FIELDS:
        return fold(value)
    if field == "email":
        return str(value).strip().lower()
    if field == "phone":
        return "".join(char for char in str(value) if char.isdigit())
    return str(value)


def _own_values(person: Person, sources: PersonSources, school_id: int) -> dict[str, Any]:
    """Changes to `person` for the school that brought it: each value no record of the school
    shows but another school's does is replaced by the school's own latest value, or withheld.
    Values no school supplied (an administrator's, or from before identity records were kept)
    stay: they are the registry's, not another school's."""
    own = [record for record in sources.records if record["school_id"] == school_id]
    others = [record for record in sources.records if record["school_id"] not in (None, school_id)]
    changes: dict[str, Any] = {}
    for field in RECORD_FIELDS:
        current = _comparable(field, getattr(person, field))
        if not current or any(_comparable(field, r[field]) == current for r in own):
            continue
        if not any(_comparable(field, r[field]) == current for r in others):
            continue
        fallback = next((r[field] for r in reversed(own) if _comparable(field, r[field])), None)
        changes[field] = _WITHHELD.get(field, "") if fallback is None else fallback
    if changes.get("document_number") == "":
        changes["document_type"] = ""
    return changes


def _all_withheld(*, code: bool) -> dict[str, Any]:
    changes = {field: _WITHHELD.get(field, "") for field in PERSONAL_FIELDS}
    changes["details_withheld"] = True
    if code:
        changes["code"] = ""
    return changes


def _refuse_save(*args: Any, **kwargs: Any) -> None:
    raise PermissionDenied("A person as seen by a user is for display and is never saved.")


def _copy(person: Person, changes: dict[str, Any]) -> Person:
    copy = Person(
        **{field.attname: getattr(person, field.attname) for field in Person._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = person._state.db
    withheld = changes.pop("details_withheld", False)
    for field, value in changes.items():
        setattr(copy, field, value)
    # The phonetic keys spell the surnames out; nothing displays them.
    copy.paternal_key = copy.maternal_key = copy.given_key = ""
    copy.details_withheld = withheld  # type: ignore[attr-defined]
    copy.seen_name = REGISTERED_ELSEWHERE if withheld else copy.full_name  # type: ignore[attr-defined]
    # Instance attributes shadow the model's methods: the copy holds blanks where values
    # are withheld, and saving it would write them over the person.
    copy.save = copy.delete = _refuse_save  # type: ignore[method-assign, assignment]
    return copy


def can_manage_cohort(user: User, cohort: Cohort) -> bool:
    """Register participants, enter scores, edit: admins and the cohort's own school."""
    if is_registry_admin(user):
        return True
    return is_school_staff(user) and cohort.school_id == user_school(user).pk  # type: ignore[union-attr]


def denied_access_record(request: HttpRequest, model: type[models.Model], object_id: Any) -> None:
    """Audit an attempt at a row that exists but is outside the user's scope."""
    from audit.models import AuditAction
    from audit.services import audit_record

    try:
        obj = model._default_manager.filter(pk=object_id).first()
    except (ValueError, TypeError):
        obj = None
    if obj is not None:
        audit_record(
            actor=request.user,
            action=AuditAction.PERMISSION_DENIED,
            obj=obj,
            details={"path": request.path},
            request=request,
        )


def restrict_to_visible(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` (keeping its ordering and joins) cut down to the rows the user may see."""
    if is_registry_admin(user) or queryset.model not in _SCOPES:
        return queryset
    return queryset.filter(pk__in=visible_to(user, queryset.model).values("pk"))


def related_label(user: User, obj: models.Model) -> str:
    """A related row's label in a form: a person as far as the user may read them."""
    return related_labels(user, [obj])[0]


def related_labels(user: User, objs: Iterable[models.Model]) -> list[str]:
    """How a form, a raw-id input or an autocomplete names each row to `user`, in order.

    A person by code and name as far as the user may read them (`person_label`); any other
    row by its own str(), read with the persons it points at as the user may read them
    (`rows_as_seen_by`), so that a label built from a person shows no more than a page does.
    """
    objs = list(objs)
    if is_registry_admin(user):
        return [str(obj) for obj in objs]
    rows_as_seen_by(user, [obj for obj in objs if not isinstance(obj, Person)])
    persons = iter(persons_as_seen_by(user, [obj for obj in objs if isinstance(obj, Person)]))
    return [_label_of_seen(next(persons)) if isinstance(obj, Person) else str(obj) for obj in objs]


__all__ = [
    "REGISTERED_ELSEWHERE",
    "can_manage_cohort",
    "can_view_person",
    "cohorts_visible_to",
    "denied_access_record",
    "enrollments_visible_to",
    "is_registry_admin",
    "is_school_staff",
    "is_scoped",
    "person_as_seen_by",
    "person_label",
    "persons_as_seen_by",
    "persons_visible_to",
    "related_label",
    "related_labels",
    "restrict_to_visible",
    "rows_as_seen_by",
    "scores_visible_to",
    "user_school",
    "visible_to",
]
