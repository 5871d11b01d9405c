"""Admin for record linkage's decisions: duplicate candidates and merges, read only (they are
decided, merged and undone on the review pages)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from audit.details_display import json_as_html
from participants.models import DuplicateCandidate, MergeRecord
from registry.admin.read_only import ReadOnlyMixin


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "score", "decision", "decided_by", "decided_at")
    list_filter = ("decision",)
    search_fields = ("=person_a__code", "=person_b__code")
    list_select_related = ("person_a", "person_b", "decided_by")


@admin.register(MergeRecord)
class MergeRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("__str__", "rule_label", "score", "merged_by", "merged_at", "undone_at")
    search_fields = ("=survivor__code", "=merged__code")
    list_select_related = ("survivor", "merged", "merged_by")

    exclude = ("rule", "before_state")
    readonly_fields = ("rule_label", "before_state_table")

    @admin.display(description=_("rule"), ordering="rule")
    def rule_label(self, obj: MergeRecord) -> str:
        return obj.rule_label

    @admin.display(description=_("state before the merge"))
    def before_state_table(self, obj: MergeRecord) -> str:
        return json_as_html(obj.before_state)
