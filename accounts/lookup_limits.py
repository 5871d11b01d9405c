"""How often school staff may ask the registry whether someone is already registered.

Every duplicate hint, registration attempt and roster preview compares what a school typed
against every school's participants. Each answer is cut down to what the school may read
(accounts.access), but many answers together still tell something, so school staff get a
budget of look-ups per hour and kind (settings.SCHOOL_LOOKUP_LIMITS). Registry
administrators, who may read every person anyway, have no budget.

The counters live in Django's cache: a lost counter (a restart) only resets a budget.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from accounts.access.user_scope import is_registry_admin

HINT = "registration_hint"
REGISTRATION = "registration"
ROSTER_PREVIEW = "roster_preview"
WINDOW_SECONDS = 60 * 60

LIMIT_REACHED = (
    "Se alcanzó el límite de consultas al registro por hora para su cuenta. "
    "Vuelva a intentarlo más tarde o comuníquese con el administrador del registro."
)


class LookupLimitReached(Exception):
    """The user used up this hour's look-ups of one kind."""

    def __init__(self) -> None:
        super().__init__(LIMIT_REACHED)


def lookup_count(*, user: Any, kind: str) -> None:
    """Count one look-up of `kind` by `user`; raises LookupLimitReached past the budget."""
    if is_registry_admin(user):
        return
    limit = int(settings.SCHOOL_LOOKUP_LIMITS[kind])
    window = int(time.time() // WINDOW_SECONDS)
    key = f"lookup-limit:{kind}:{user.pk}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        used = 1
    if used > limit:
        raise LookupLimitReached
