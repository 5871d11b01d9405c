"""Write the audit log. Every module that touches personal data calls `audit_record`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, router, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.chain import GENESIS, SEALED_FIELDS, chain_lock, event_seal
from audit.client_address import client_address
from audit.models import AuditAction, AuditEvent, object_type_of

# The author a management command's events name when no signed-in user runs it.
COMMAND_LINE = "manage.py"
# Values that must never reach the log, whatever a caller passes in `details`.
_FORBIDDEN_KEYS = frozenset({"password", "password1", "password2", "csrfmiddlewaretoken"})


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """Append one event. Runs inside the caller's transaction: a rolled-back change leaves
    no event claiming it happened.

    `obj` is stored by type, primary key and code (a person's or a cohort's public code,
    never a name); `details` must be JSON-serialisable (dates and decimals are converted).
    """
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    user = actor if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        actor=user,
        actor_username=(user.get_username() if user else actor_username)[:150],
        action=action,
        details=_json_safe(_without_secrets(details or {})),
        ip_address=client_ip(request),
    )
    if obj is not None:
        event.object_type = object_type_of(obj)
        event.object_id = str(obj.pk)
        event.object_code = str(getattr(obj, "code", "") or "")[:40]
    _chain_append(event)
    return event


def _chain_append(event: AuditEvent) -> None:
    """Seal `event` onto the chain's head and insert it (see audit.chain).

    The lock is held until the caller's transaction ends: the next writer must read this
    event as the head, and it can do so only once it is committed.
    """
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using, savepoint=False):
        chain_lock(transaction.get_connection(using))
        head = (
            AuditEvent.objects.using(using)
            .filter(hash__isnull=False)
            .order_by("-id")
            .values_list("hash", flat=True)
            .first()
        )
        event.prev_hash = head or GENESIS
        event.at = timezone.now()
        event.hash = event_seal({name: getattr(event, name) for name in SEALED_FIELDS})
        event.save(using=using)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, read as the sign-in lockout reads it (see `client_address`)."""
    return client_address(request)


def _without_secrets(details: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in details.items() if key not in _FORBIDDEN_KEYS}


def _json_safe(value: Any) -> Any:
    """Round-trip through Django's encoder so dates, decimals and UUIDs become strings."""
    import json

    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))
