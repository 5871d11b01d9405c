"""Sign-in, sign-out and lock-out events, which django.contrib.auth and axes only signal."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from audit.models import AuditAction
from audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_login_success")
def record_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=AuditAction.LOGIN_SUCCESS, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def record_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(actor=user, action=AuditAction.LOGOUT, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failure")
def record_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username typed is kept (Django has already masked the password); a typed
    # username may be anything, so it is truncated and never put in `details`.
    username = str(credentials.get("username", "") or "")
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILURE,
        request=request,
        actor_username=username,
    )


@receiver(user_locked_out, dispatch_uid="audit_login_locked")
def record_lockout(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_LOCKED,
        request=request,
        actor_username=username or "",
    )
