"""The registry's admin site: Django's own, with the autocomplete answered by the scoped view.

`RegistryAdminConfig` takes the place of `django.contrib.admin` in INSTALLED_APPS, so that
`django.contrib.admin.site` (where every app registers its admin classes) is this site.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path

from registry.query_guards import bad_request, date_part_problem

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


class RegistryAdminSite(admin.AdminSite):
    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        """Every admin page refuses a date-part filter no date can have, with a 400."""

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            problem = date_part_problem(request.GET)
            if problem is not None:
                return bad_request(request, problem)
            return view(request, *args, **kwargs)

        # `wraps` keeps the view's name and attributes; its call signature is the view's too.
        return super().admin_view(cast(_View, guarded), cacheable)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        # Imported here, like the autocomplete's view: the page reads models.
        from registry.admin.unmapped_spellings import unmapped_spellings_view

        page = path(
            "grafias-sin-mapear/",
            self.admin_view(unmapped_spellings_view),
            name="unmapped_spellings",
        )
        return [page, *super().get_urls()]

    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        # Imported here: this module is loaded with INSTALLED_APPS, before the models.
        from accounts.admin_scoping import ScopedAutocompleteJsonView

        # `as_view` is typed as any response; this view answers JSON, an HttpResponse.
        return cast(HttpResponse, ScopedAutocompleteJsonView.as_view(admin_site=self)(request))


class RegistryAdminConfig(AdminConfig):
    default_site = "registry.admin_site.RegistryAdminSite"
