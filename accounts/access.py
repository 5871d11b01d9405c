"""The single place that decides which rows a user may see.

- Superusers and "Registry administrator" members: everything.
- "Training school staff" (a user with a SchoolMembership): the cohorts of their school, the
  enrollments and scores in them, and the persons enrolled in them - never another school's
  rows, and never a cancelled person (cancellation removes a person from every listing).
- Analysts and everyone else: no person-level rows at all (analysts work from aggregated
  reports). Analysts may list cohorts, which carry no personal data, to filter reports.

A membership wins over a group: a user tied to a school is scoped to it even if someone also
put them in the administrators' group, because the narrower reading is the safe one.

Everything else - admin classes, views, exports, the import's person lookup, any later API -
asks these functions instead of filtering on its own.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from accounts.roles import ADMINISTRATOR
from assessments.models import Score
from courses.models import Cohort, Enrollment, School
from participants.models import ImportBatch, Person, PersonStatus, SourceRecord

User = AbstractBaseUser | AnonymousUser


def user_school(user: User) -> School | None:
    """The school a staff user belongs to, or None (cached on the user object)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_registry_school"):
        from accounts.models import SchoolMembership

        membership = (
            SchoolMembership.objects.filter(user_id=user.pk).select_related("school").first()
        )
        user._registry_school = membership.school if membership else None  # type: ignore[union-attr]
    return user._registry_school  # type: ignore[union-attr]


def is_registry_admin(user: User) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:  # type: ignore[union-attr]
        return True
    if user_school(user) is not None:
        return False
    # Cached on the user object: the admin asks this several times per row on one page.
    if not hasattr(user, "_registry_admin"):
        user._registry_admin = user.groups.filter(name=ADMINISTRATOR).exists()  # type: ignore[union-attr]
    return user._registry_admin  # type: ignore[union-attr]


def is_school_staff(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser  # type: ignore[union-attr]
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


def visible_to(user: User, model: type[models.Model]) -> QuerySet[Any]:
    """The rows of `model` the user may see; models without personal rows are unscoped."""
    scope = _SCOPES.get(model)
    return scope(user) if scope else model._default_manager.all()


def can_view_person(user: User, person: Person) -> bool:
    return persons_visible_to(user).filter(pk=person.pk).exists()


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


def _restrict(user: User, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """`queryset` (keeping its ordering and joins) cut down to the rows the user may see."""
    if is_registry_admin(user) or queryset.model not in _SCOPES:
        return queryset
    return queryset.filter(pk__in=visible_to(user, queryset.model).values("pk"))


class SchoolScopedAdminMixin:
    """Put first in a ModelAdmin's bases: `class CohortAdmin(SchoolScopedAdminMixin, ...)`.

    Scopes the change list, every object page (another school's id in the URL is a 404, and
    an audited attempt when the row exists), foreign-key choices, and makes a cohort created
    by school staff belong to their school.
    """

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _restrict(request.user, super().get_queryset(request))  # type: ignore[misc]

    def _object_visible(self, request: HttpRequest, obj: Any) -> bool:
        return (
            obj is None
            or _restrict(request.user, type(obj)._default_manager.filter(pk=obj.pk)).exists()
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) and self._object_visible(  # type: ignore[misc]
            request, obj
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and self._object_visible(  # type: ignore[misc]
            request, obj
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and self._object_visible(  # type: ignore[misc]
            request, obj
        )

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        related = db_field.remote_field.model
        if related is School and is_school_staff(request.user):
            kwargs["queryset"] = School.objects.filter(pk=user_school(request.user).pk)  # type: ignore[union-attr]
        elif related in _SCOPES:
            kwargs["queryset"] = _restrict(request.user, related._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def _visible_or_404(self, request: HttpRequest, object_id: str | None) -> None:
        # The admin's own answer to a hidden object is a redirect to its index; a 404 says
        # the same to a URL-guesser and is what the rest of the registry answers.
        if object_id is None:
            return
        if self.get_object(request, unquote(object_id)) is None:  # type: ignore[attr-defined]
            denied_access_record(request, self.model, object_id)  # type: ignore[attr-defined]
            raise Http404

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._visible_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if isinstance(obj, Cohort) and is_school_staff(request.user):
            obj.school = user_school(request.user)
        super().save_model(request, obj, form, change)  # type: ignore[misc]


class SchoolScopedInlineMixin:
    """The same scoping for inlines (e.g. a person's enrollments and source records)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _restrict(request.user, super().get_queryset(request))  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        related = db_field.remote_field.model
        if related in _SCOPES:
            kwargs["queryset"] = _restrict(request.user, related._default_manager.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


__all__ = [
    "SchoolScopedAdminMixin",
    "SchoolScopedInlineMixin",
    "can_manage_cohort",
    "can_view_person",
    "cohorts_visible_to",
    "denied_access_record",
    "enrollments_visible_to",
    "is_registry_admin",
    "is_school_staff",
    "persons_visible_to",
    "scores_visible_to",
    "user_school",
    "visible_to",
]
