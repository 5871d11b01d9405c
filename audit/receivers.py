"""Sign-in, sign-out and lock-out events, which django.contrib.auth and axes only signal."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
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
    # Django has already masked the password. The username is kept only when it names an
    # account (see `username_to_record`).
    username = str(credentials.get("username", "") or "")
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILURE,
        request=request,
        actor_username=username_to_record(username),
    )


@receiver(user_locked_out, dispatch_uid="audit_login_locked")
def record_lockout(
    sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any
) -> None:
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_LOCKED,
        request=request,
        actor_username=username_to_record(username or ""),
    )


# What a failed sign-in records instead of a username that belongs to no account.
UNKNOWN_USERNAME = "(usuario inexistente)"


def username_to_record(username: str) -> str:
    """The username of a failed sign-in as the append-only log may keep it.

    An account's username says which account was attacked. Anything else typed there is
    whatever a stranger chose, often a participant's DNI or e-mail: the log could never
    give it up when that person cancels their data, so it is not written at all. Repeated
    attempts stay visible, per address, in the throttling records, which a cancellation
    does redact.
    """
    if not username:
        return ""
    accounts = get_user_model()._default_manager
    if accounts.filter(**{get_user_model().USERNAME_FIELD: username}).exists():
        return username
    return UNKNOWN_USERNAME
