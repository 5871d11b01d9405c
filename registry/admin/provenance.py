"""Admin for where records came from: import batches and the roster rows as received, read
only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import SchoolScopedAdminMixin
from audit.details_display import json_as_html, rejected_rows_as_html
from courses.models import ImportBatch, SourceRecord
from registry.admin.read_only import ReadOnlyMixin


class SourceRecordCellsMixin:
    """A roster row's cells and flagged values read as tables (its admin page and inline)."""

    @admin.display(description=_("cells as received"))
    def cells(self, obj: SourceRecord) -> str:
        return json_as_html(obj.raw)

    @admin.display(description=_("flagged values"))
    def flagged(self, obj: SourceRecord) -> str:
        return json_as_html(obj.problems)


@admin.register(ImportBatch)
class ImportBatchAdmin(SchoolScopedAdminMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "file_name",
        "cohort",
        "status",
        "rows_total",
        "rows_new",
        "rows_linked",
        "rows_review",
        "rows_rejected",
        "imported_by",
        "created_at",
    )
    list_filter = ("status", "cohort__course")
    search_fields = ("file_name", "sha256")
    date_hierarchy = "created_at"
    # The JSON details read as tables, not as raw JSON.
    exclude = ("rejected_rows", "options")
    readonly_fields = ("rejected_rows_table", "options_table")

    @admin.display(description=_("rejected rows"))
    def rejected_rows_table(self, obj: ImportBatch) -> str:
        return rejected_rows_as_html(obj.rejected_rows)

    @admin.display(description=_("options"))
    def options_table(self, obj: ImportBatch) -> str:
        return json_as_html(obj.options)


@admin.register(SourceRecord)
class SourceRecordAdmin(
    SchoolScopedAdminMixin, SourceRecordCellsMixin, ReadOnlyMixin, admin.ModelAdmin
):
    list_display = ("batch", "row_number", "outcome", "person_code")
    list_filter = ("outcome",)
    search_fields = ("=person__code", "batch__file_name")
    list_select_related = ("batch", "person")
    exclude = ("raw", "problems")
    readonly_fields = ("cells", "flagged")

    @admin.display(description=_("participant code"), ordering="person__code")
    def person_code(self, obj: SourceRecord) -> str:
        return obj.person.code if obj.person else ""
