"""The admin's autocomplete pages through the list of the model it offers: that list must be
ordered, or one page repeats what the one before showed and a record is never offered."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import RequestFactory


def _autocomplete_targets() -> set[type[models.Model]]:
    """The models the admin's autocomplete answers for: the admin-registered, searchable
    models some relation points to (the view serves any such relation, asked for or not)."""
    request = RequestFactory().get("/")
    related = {
        field.related_model
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.is_relation and (field.many_to_one or field.many_to_many) and field.concrete
    }
    return {
        model
        for model, model_admin in admin.site._registry.items()
        if model in related and model_admin.get_search_fields(request)
    }


@pytest.mark.django_db
def test_every_list_an_autocomplete_pages_through_is_ordered(admin_user, role_user) -> None:  # type: ignore[no-untyped-def]
    from courses.models import Cohort
    from tests.factories import SchoolFactory

    targets = _autocomplete_targets()
    assert Cohort in targets
    unordered = []
    for user in (admin_user, role_user("school", school=SchoolFactory())):
        request = RequestFactory().get("/admin/autocomplete/")
        request.user = user
        for model in targets:
            if not admin.site._registry[model].get_queryset(request).ordered:
                unordered.append(f"{model._meta.label} ({user.username})")
    assert unordered == [], unordered
