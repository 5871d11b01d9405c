"""A cancelled person's identifiers in django-axes' sign-in throttling records.

Anyone can type her DNI or e-mail as a username, so these records may name her though she
has no account. The failure and access logs are plain logs: the cells that name her become
"[CANCELADO]" (`elsewhere.text_fields_redact`). An access attempt is a counter, unique per
username, address and browser: two attempts from one browser with her DNI and her e-mail
would both become "[CANCELADO]" there and collide, and a cancellation must never fail
because of what a stranger typed. Colliding attempts are therefore folded into one, their
failures added up, so that the address keeps the count it had earned.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

from data_requests.elsewhere import redact_text_fields, text_fields_redact
from data_requests.prefilter import filter_mentions, mention_patterns
from data_requests.traces import PersonTraces

_Key = tuple[str | None, str | None, str]


def throttling_redact(*, traces: PersonTraces) -> int:
    """Every throttling record that names the person; returns how many were changed."""
    logs = sum(
        text_fields_redact(traces=traces, model=model) for model in (AccessLog, AccessFailureLog)
    )
    return logs + _attempts_redact(traces)


def _attempts_redact(traces: PersonTraces) -> int:
    mentions = mention_patterns(traces)
    if mentions is None:
        return 0
    fields = ["username", "user_agent", "http_accept", "path_info", "get_data", "post_data"]
    found = (
        filter_mentions(AccessAttempt.objects.all(), mentions, *fields)
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    changed = [row for row in found if redact_text_fields(row, fields, traces)]
    changed_ids = {row.pk for row in changed}
    survivors: dict[_Key, AccessAttempt] = {}
    folded: list[AccessAttempt] = []
    for row in changed:
        key = (row.username, row.ip_address, row.user_agent)
        survivor = survivors.get(key) or _unchanged_with(key, exclude=changed_ids)
        if survivor is None:
            survivors[key] = row
            continue
        survivors[key] = survivor
        survivor.failures_since_start += row.failures_since_start
        survivor.attempt_time = max(survivor.attempt_time, row.attempt_time)
        _keep_later_expiry(survivor, row)
        folded.append(row)
    # The folded rows go first: until then they hold the key their survivor takes.
    AccessAttempt.objects.filter(pk__in=[row.pk for row in folded]).delete()
    kept = list(survivors.values())
    AccessAttempt.objects.bulk_update(kept, [*fields, "failures_since_start", "attempt_time"])
    return len(changed)


def _unchanged_with(key: _Key, *, exclude: set[int]) -> AccessAttempt | None:
    """An attempt already holding the key (left by an earlier cancellation)."""
    username, ip_address, user_agent = key
    return (
        AccessAttempt.objects.select_for_update()
        .filter(username=username, ip_address=ip_address, user_agent=user_agent)
        .exclude(pk__in=exclude)
        .first()
    )


def _keep_later_expiry(survivor: AccessAttempt, folded: AccessAttempt) -> None:
    expiries = AccessAttemptExpiration.objects.filter(
        access_attempt_id__in=[survivor.pk, folded.pk]
    )
    latest = max((e.expires_at for e in expiries), default=None)
    if latest is not None:
        AccessAttemptExpiration.objects.update_or_create(
            access_attempt_id=survivor.pk, defaults={"expires_at": latest}
        )
