from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.access.sensitive import without_hidden_sensitive
from accounts.models import Consent, ContactConsent, GuardianConsent, SchoolMembership
from accounts.role_audit import (
    RoleSnapshot,
    group_change_record,
    group_snapshot,
    user_role_change_record,
    user_role_snapshot,
)

User = get_user_model()


class AuditedUserAdmin(UserAdmin):
    """Django's user pages, with every change of groups, permissions, staff or superuser
    flags audited as `grant_role` audits its own (the form saves the groups after the user,
    so the role is read before the user is saved and compared once everything is)."""

    def save_model(self, request: HttpRequest, obj: Model, form: ModelForm, change: bool) -> None:
        form.roles_before = user_role_snapshot(user_id=obj.pk if change else None)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseFormSet], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        user_role_change_record(
            actor=request.user,
            user_id=form.instance.pk,
            before=form.roles_before,  # type: ignore[attr-defined]
            request=request,
        )


class AuditedGroupAdmin(GroupAdmin):
    """Django's group pages; a group is a role, so a change of its permissions is audited."""

    def save_model(self, request: HttpRequest, obj: Group, form: ModelForm, change: bool) -> None:
        form.group_before = group_snapshot(group_id=obj.pk if change else None)  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: list[BaseFormSet], change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        group_change_record(
            actor=request.user,
            group=form.instance,
            before=form.group_before,  # type: ignore[attr-defined]
            request=request,
        )


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, AuditedGroupAdmin)


@admin.register(SchoolMembership)
class SchoolMembershipAdmin(admin.ModelAdmin):
    """A membership is the school a staff user sees: adding, moving or removing one is a
    role change of each user it touches, audited with the role before and after."""

    list_display = ("user", "school", "created_at")
    list_filter = ("school",)
    search_fields = ("=user__username",)
    list_select_related = ("user", "school")
    raw_id_fields = ("user",)

    def save_model(
        self, request: HttpRequest, obj: SchoolMembership, form: ModelForm, change: bool
    ) -> None:
        users = {obj.user_id}
        if change:
            users.update(
                SchoolMembership.objects.filter(pk=obj.pk).values_list("user_id", flat=True)
            )
        before = _snapshots(users)
        super().save_model(request, obj, form, change)
        _record(request, before)

    def delete_model(self, request: HttpRequest, obj: SchoolMembership) -> None:
        before = _snapshots({obj.user_id})
        super().delete_model(request, obj)
        _record(request, before)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SchoolMembership]) -> None:
        before = _snapshots(set(queryset.values_list("user_id", flat=True)))
        super().delete_queryset(request, queryset)
        _record(request, before)


def _snapshots(user_ids: set[int]) -> dict[int, RoleSnapshot]:
    return {user_id: user_role_snapshot(user_id=user_id) for user_id in user_ids}


def _record(request: HttpRequest, before: dict[int, RoleSnapshot]) -> None:
    for user_id, snapshot in before.items():
        user_role_change_record(
            actor=request.user, user_id=user_id, before=snapshot, request=request
        )


class HidesSensitiveMixin:
    """Leaves out the rows tied to a sensitive participation the user may not see
    (`accounts.access.sensitive`): a consent names the cohort it was given in."""

    cohort_prefix = ""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        return without_hidden_sensitive(request.user, queryset, self.cohort_prefix)


class EvidenceAdmin(HidesSensitiveMixin, admin.ModelAdmin):
    """A consent's list: read-only evidence, by participant code, without the sensitive
    participations the user may not see (`cohort_prefix` says where its cohort is)."""

    actions = None

    @admin.display(description=_("participant code"), ordering="person__code")
    def person_code(self, obj: Any) -> str:
        return obj.person.code

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(EvidenceAdmin):
    """Consents are evidence: recorded by the registration service, never edited."""

    list_display = ("person_code", "text_version", "given_at", "school", "recorded_by")
    list_filter = ("text_version", "school")
    search_fields = ("=person__code",)
    list_select_related = ("person", "school", "recorded_by")
    cohort_prefix = "cohort__"
    readonly_fields = (
        "person",
        "cohort",
        "school",
        "given_at",
        "text_version",
        "text_sha256",
        "recorded_by",
    )


@admin.register(ContactConsent)
class ContactConsentAdmin(EvidenceAdmin):
    """Statements of consent to follow-up contact are evidence too: recorded through
    `accounts.contact_consent` (forms, rosters, the person's page, a cancellation), never
    edited here. A withdrawal is recorded on the person's page."""

    list_display = (
        "person_code",
        "granted",
        "given_at",
        "source",
        "text_version",
        "recorded_by",
    )
    list_filter = ("granted", "source", "text_version")
    search_fields = ("=person__code",)
    list_select_related = ("person", "recorded_by")
    cohort_prefix = "source_record__batch__cohort__"
    readonly_fields = (
        "person",
        "granted",
        "given_at",
        "source",
        "text_version",
        "text_sha256",
        "source_record",
        "recorded_by",
        "recorded_at",
    )


@admin.register(GuardianConsent)
class GuardianConsentAdmin(EvidenceAdmin):
    """A parent's or guardian's consent for a minor is evidence: recorded through
    `accounts.guardian_consent` (the school form, a roster's guardian columns), never
    edited here."""

    list_display = (
        "person_code",
        "guardian_relationship",
        "given_at",
        "allows_follow_up",
        "source",
        "text_version",
        "recorded_by",
    )
    list_filter = ("source", "guardian_relationship", "allows_follow_up", "text_version")
    search_fields = ("=person__code",)
    list_select_related = ("person", "recorded_by")
    # A minor's guardian consent names the cohort: a survivors' course must not show here.
    cohort_prefix = "cohort__"
    readonly_fields = (
        "person",
        "cohort",
        "guardian_name",
        "guardian_relationship",
        "guardian_document",
        "given_at",
        "allows_follow_up",
        "source",
        "text_version",
        "text_sha256",
        "source_record",
        "recorded_by",
        "recorded_at",
    )
