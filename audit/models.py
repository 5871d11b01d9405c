"""The audit log: one append-only row per event that touches personal data or access to it.

Rows are never changed or deleted. The ORM refuses it (save of an existing row, queryset
update/delete, instance delete) and so does the database, through triggers created by the
migration `0002_append_only_triggers` on both PostgreSQL and SQLite, so that neither the app
nor a stray `manage.py shell` can rewrite history. What the triggers cannot stop (an
inserted, forged event; a change by the table's owner) the hash chain shows (audit.chain).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    LOGIN_SUCCESS = "login_success", _("Sign-in")
    LOGIN_FAILURE = "login_failure", _("Failed sign-in")
    LOGIN_LOCKED = "login_locked", _("Sign-in locked out")
    LOGOUT = "logout", _("Sign-out")
    IMPORT = "import", _("Roster import")
    EXPORT = "export", _("Export")
    PERSON_VIEW = "person_view", _("Person detail viewed")
    PERSON_LOOKUP = "person_lookup", _("Persons looked up")
    PERSON_CREATE = "person_create", _("Person registered")
    PERSON_EDIT = "person_edit", _("Person edited")
    ENROLLMENT_CREATE = "enrollment_create", _("Enrollment registered")
    SCORE_EDIT = "score_edit", _("Scores entered")
    COHORT_CREATE = "cohort_create", _("Cohort created")
    MERGE = "merge", _("Merge")
    UNMERGE = "unmerge", _("Merge undone")
    SPLIT = "split", _("Person split")
    REVIEW_DECISION = "review_decision", _("Review decision")
    ALIAS_MAP = "alias_map", _("Spelling mapped to a vocabulary")
    COLUMN_MAP = "column_map", _("Roster column mapped to a field")
    DSR_ACCESS = "dsr_access", _("Data subject request: access")
    DSR_RECTIFY = "dsr_rectify", _("Data subject request: rectification")
    DSR_CANCEL = "dsr_cancel", _("Data subject request: cancellation")
    PERMISSION_DENIED = "permission_denied", _("Access refused")
    ROLE_CHANGE = "role_change", _("Role changed")
    # An operator's repair of stored data (a back-fill, a clean-up): codes and counts only.
    MAINTENANCE = "maintenance", _("Data maintenance")
    # A statement of consent to follow-up contact, or its withdrawal (accounts.ContactConsent).
    CONTACT_CONSENT = "contact_consent", _("Consent to follow-up contact")
    # A follow-up wave created, its sample drawn or a member replaced: ids and counts only.
    SURVEY_SAMPLE = "survey_sample", _("Follow-up sample")
    # A registry administrator read the reports' exact values (small counts not withheld).
    EXACT_FIGURES = "exact_figures", _("Exact report figures viewed")
    # A course or an indicator marked sensitive or no longer: who may see its participations.
    SENSITIVITY_CHANGE = "sensitivity_change", _("Sensitivity of a course or indicator changed")
    # A parent's or guardian's consent for a minor (accounts.GuardianConsent).
    GUARDIAN_CONSENT = "guardian_consent", _("Guardian consent")


class AppendOnlyError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    def for_object(self, obj: models.Model) -> AuditEventQuerySet:
        return self.filter(
            object_type__in=object_type_labels(object_type_of(obj)), object_id=str(obj.pk)
        )


class AuditEvent(models.Model):
    # Set by the service before sealing (the seal covers it), not at insert as auto_now_add
    # would; the change from auto_now_add needed no database change.
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    # SET_NULL would be an UPDATE of this table, which the triggers refuse; users are
    # deactivated, not deleted, so PROTECT states the rule instead.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    # A copy, so the event still says who acted if the account is renamed; for a failed
    # sign-in it is the username that was typed.
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    # The person's code (or another non-personal label), never a name or a DNI.
    object_code = models.CharField(_("object code"), max_length=40, blank=True, db_index=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The hash chain (audit.chain). NULL, not "", so that adding them kept the table (and
    # its triggers) in place on SQLite and an unsealed row stands out; the registry writes
    # both on every event.
    prev_hash = models.CharField(  # noqa: DJ001
        _("previous seal"), max_length=64, null=True, editable=False
    )
    hash = models.CharField(_("seal"), max_length=64, null=True, editable=False)  # noqa: DJ001

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["action", "-at"], name="audit_action_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]
        constraints = [
            # No two events seal onto the same predecessor: the chain cannot fork. Partial,
            # so that SQLite creates it as an index instead of rebuilding the table.
            models.UniqueConstraint(
                fields=["prev_hash"],
                condition=Q(prev_hash__isnull=False),
                name="audit_one_successor",
            ),
        ]

    def __str__(self) -> str:
        target = self.object_code or self.object_id
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {target}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def object_type_label(self) -> str:
        """The model's name as users read it ("cohorte"), or the stored label if it is gone."""
        try:
            model = apps.get_model(current_object_type(self.object_type))
        except (LookupError, ValueError):
            return self.object_type
        return str(model._meta.verbose_name)


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


# Models that moved to another app: their events keep the label they were written with
# (events are append-only), read as the label of today.
MOVED_OBJECT_TYPES = {
    "participants.importbatch": "courses.importbatch",
    "participants.sourcerecord": "courses.sourcerecord",
}


def current_object_type(object_type: str) -> str:
    return MOVED_OBJECT_TYPES.get(object_type, object_type)


def object_type_labels(object_type: str) -> list[str]:
    """The label and every label the same model was recorded under before it moved."""
    current = current_object_type(object_type)
    return [current, *(old for old, new in MOVED_OBJECT_TYPES.items() if new == current)]
