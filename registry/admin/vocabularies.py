"""Admin for the vocabularies: regions, institutions and roles, and the spellings partners
write for each (one by one or as a spreadsheet)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from import_export.admin import ImportExportModelAdmin

from participants.models import (
    Institution,
    InstitutionAlias,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
)
from registry.admin.read_only import NoDeleteMixin
from registry.admin.vocabulary_exchange import (
    ALIAS_RESOURCES,
    RegistryCSV,
    RegistryXLSX,
)


class RegionAliasInline(admin.TabularInline):
    model = RegionAlias
    extra = 1


@admin.register(Region)
class RegionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code", "aliases__key")
    inlines = (RegionAliasInline,)


class InstitutionAliasInline(admin.TabularInline):
    model = InstitutionAlias
    extra = 1


@admin.register(Institution)
class InstitutionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("acronym", "name", "sector", "parent")
    list_filter = ("sector",)
    search_fields = ("acronym", "name", "aliases__key")
    inlines = (InstitutionAliasInline,)


class RoleAliasInline(admin.TabularInline):
    model = RoleAlias
    extra = 1


@admin.register(Role)
class RoleAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code", "aliases__key")
    inlines = (RoleAliasInline,)


@admin.register(RegionAlias, InstitutionAlias, RoleAlias)
class AliasAdmin(ImportExportModelAdmin):
    """Spellings, one by one or as a spreadsheet (registry/admin/vocabulary_exchange.py)."""

    list_display = ("key", "__str__")
    search_fields = ("key",)
    import_formats = (RegistryCSV,)
    export_formats = (RegistryCSV, RegistryXLSX)

    def get_resource_classes(self, request: HttpRequest) -> list[type[Any]]:
        return [ALIAS_RESOURCES[self.model]]
