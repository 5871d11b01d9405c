"""The registry's admin site: Django's own, with the autocomplete answered by the scoped view.

`RegistryAdminConfig` takes the place of `django.contrib.admin` in INSTALLED_APPS, so that
`django.contrib.admin.site` (where every app registers its admin classes) is this site.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse


class RegistryAdminSite(admin.AdminSite):
    def autocomplete_view(self, request: HttpRequest) -> HttpResponse:
        # Imported here: this module is loaded with INSTALLED_APPS, before the models.
        from accounts.admin_scoping import ScopedAutocompleteJsonView

        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)


class RegistryAdminConfig(AdminConfig):
    default_site = "registry.admin_site.RegistryAdminSite"
