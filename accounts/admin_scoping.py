"""The admin's side of `accounts.access`: ModelAdmin and inline mixins that scope every page.

Which rows and which personal data a user may see is decided in `accounts.access`; these
classes only apply it to the admin: change lists, object pages, the choices and labels of
every relation field (select, autocomplete and raw-id inputs), the admin's autocomplete
answers (`ScopedAutocompleteJsonView`, which `registry.admin_site` serves), and the persons
the pages show.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator

from accounts.access.personal_data import (
    person_as_seen_by,
    person_label,
    persons_as_seen_by,
    related_label,
    related_labels,
    rows_as_seen_by,
)
from accounts.access.rows import (
    denied_access_record,
    is_scoped,
    restrict_to_visible,
    sees_every_row,
)
from accounts.access.user_scope import User, is_registry_admin, is_school_staff, user_school
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort, School
from participants.models import Person


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id input, labelling the typed id only when it is a row the user may see.

    Django's widget looks the id up among all rows and prints the row's name beside the
    input, so counting ids up through `?person=1, 2, ...` would list the whole registry.
    """

    def __init__(self, *args: Any, queryset: QuerySet[Any], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = queryset
        self.user = user

    def label_and_url_for_value(self, value: Any) -> tuple[str, str]:
        key = self.rel.get_related_field().name
        try:
            obj = self.queryset.using(self.db).filter(**{key: value}).first()
        except (ValueError, TypeError, ValidationError):
            return "", ""
        if obj is None:
            return "", ""
        opts = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_change", args=(obj.pk,)
            )
        except NoReverseMatch:
            url = ""
        return Truncator(related_label(self.user, obj)).words(14), url


def _scope_relation_kwargs(
    model_admin: Any, db_field: models.Field[Any, Any], request: HttpRequest, kwargs: dict[str, Any]
) -> None:
    """Restrict a relation's choices to the rows the user may see (so another school's id
    is neither listed nor accepted) and its raw-id label likewise."""
    user = request.user
    if db_field.remote_field is None:
        return  # not a relation: nothing to scope
    related = db_field.remote_field.model
    if related is School and is_school_staff(user):
        kwargs["queryset"] = School.objects.filter(pk=user_school(user).pk)  # type: ignore[union-attr]
    elif is_scoped(related):
        kwargs["queryset"] = restrict_to_visible(user, related._default_manager.all())
    if (
        not sees_every_row(user, related)
        and db_field.many_to_one
        and db_field.name in model_admin.raw_id_fields
        and "widget" not in kwargs
    ):
        kwargs["widget"] = ScopedRawIdWidget(
            db_field.remote_field,
            model_admin.admin_site,
            queryset=kwargs.get("queryset", related._default_manager.all()),
            user=user,
            using=kwargs.get("using"),
        )


def _label_persons(formfield: Any, request: HttpRequest) -> Any:
    """Choices of persons named as the user may read them (a select or an autocomplete)."""
    user = request.user
    if (
        isinstance(formfield, ModelChoiceField)
        and formfield.queryset is not None
        and formfield.queryset.model is Person
        and not is_registry_admin(user)
    ):
        # Per field instance, not per class: the label depends on the request's user.
        formfield.label_from_instance = lambda obj: person_label(user, obj)  # type: ignore[method-assign]
    return formfield


class _ScopedRowsMixin:
    """Shared by the admin and inline mixins: the rows listed, and the related-object form
    fields (foreign keys, many-to-many), offer, accept and label only what the user may see."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return restrict_to_visible(request.user, super().get_queryset(request))  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        _scope_relation_kwargs(self, db_field, request, kwargs)
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        return _label_persons(formfield, request)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> Any:
        _scope_relation_kwargs(self, db_field, request, kwargs)
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        return _label_persons(formfield, request)


class SchoolScopedAdminMixin(_ScopedRowsMixin):
    """Put first in a ModelAdmin's bases: `class CohortAdmin(SchoolScopedAdminMixin, ...)`.

    Scopes the change list, every object page (another school's id in the URL is a 404, and
    an audited attempt when the row exists), foreign-key choices, and makes a cohort created
    by school staff belong to their school.
    """

    def _object_visible(self, request: HttpRequest, obj: Any) -> bool:
        return (
            obj is None
            or restrict_to_visible(
                request.user, type(obj)._default_manager.filter(pk=obj.pk)
            ).exists()
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

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        """The row, with any person in it (itself, or a related one a read-only field shows)
        as the user may read them."""
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None or is_registry_admin(request.user):
            return obj
        if isinstance(obj, Person):
            return person_as_seen_by(request.user, obj)
        rows_as_seen_by(request.user, [obj])
        return obj

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        changelist = super().get_changelist_instance(request)  # type: ignore[misc]
        if changelist.model is Person and not is_registry_admin(request.user):
            changelist.result_list = persons_as_seen_by(request.user, changelist.result_list)
        return changelist

    def _visible_or_404(self, request: HttpRequest, object_id: str | None) -> None:
        # The admin's own answer to a hidden object is a redirect to its index; a 404 says
        # the same to a URL-guesser and is what the rest of the registry answers.
        if object_id is None:
            return
        if self.get_object(request, unquote(object_id)) is None:
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


class SchoolScopedInlineMixin(_ScopedRowsMixin):
    """The same scoping for inlines (e.g. a person's enrollments and source records)."""


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete (`/admin/autocomplete/`), with every result labelled as the
    user may read it.

    Django's view answers for any relation field of any model, listed in an admin's
    `autocomplete_fields` or not, with the rows of the related model's admin (scoped by the
    mixins above) and labels each one with str(): a person's full name, whoever supplied it.
    Here a page of results is labelled through `accounts.access.personal_data.related_labels`,
    the rule every page follows, and each page of persons answered is audited: the relation
    asked for, the page and the codes listed - never the term typed, which may be a name or a
    DNI.
    """

    def process_request(self, request: HttpRequest) -> Any:
        term, model_admin, source_field, to_field_name = super().process_request(request)
        # Only a model's own relation fields have autocomplete widgets; the reverse side of
        # another model's foreign key is no form field (and Django's view fails on it).
        if not source_field.concrete:
            raise PermissionDenied
        return term, model_admin, source_field, to_field_name

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        if self.model_admin.model is Person:
            source = self.source_field
            audit_record(
                actor=request.user,
                action=AuditAction.PERSON_LOOKUP,
                details={
                    "field": f"{source.model._meta.label_lower}.{source.name}",
                    "page": self.page_number,
                    "searched": bool(self.term),
                    "codes": [row.code for row in self.rows],
                },
                request=request,
            )
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        self.page_number = context["page_obj"].number
        self.rows = list(context["object_list"])
        context["object_list"] = self.rows
        self.labels = {
            id(row): label
            for row, label in zip(
                self.rows, related_labels(self.request.user, self.rows), strict=True
            )
        }
        return context

    def serialize_result(self, obj: Any, to_field_name: str) -> dict[str, str]:
        return {"id": str(getattr(obj, to_field_name)), "text": self.labels[id(obj)]}
