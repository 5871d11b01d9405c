"""The audit log as a hash chain: each event seals its own content and its predecessor's seal.

The triggers (audit.triggers) stop the application's role from changing or deleting events,
but that role may still INSERT, so without a chain it could add a forged, back-dated event
that nothing would tell apart. Each event therefore stores `prev_hash`, the seal of the event
before it (GENESIS for the first), and `hash`, an HMAC-SHA256 over its content and
`prev_hash`. The HMAC key is the application's secret (`AUDIT_CHAIN_KEY`, else `SECRET_KEY`),
which the database does not hold: a plain hash could be recomputed by anyone who can read
the table, a keyed one only by the application. An event inserted behind the application's
back, edited or removed (by the table's owner) breaks the chain at that point, which
`manage.py audit_verify` reports.

Appends are serialised so that two processes never seal onto the same predecessor (a fork):
on PostgreSQL with a transaction-level advisory lock, held until the writing transaction
ends, so the next writer reads a committed head; on SQLite every transaction of the registry
begins IMMEDIATE (registry.settings), which already excludes every other writer from the
read of the head to the commit. A partial unique index on `prev_hash` backs the rule.

Events are sealed in id order; events stored before the chain existed were sealed by the
migration `0008_hash_chain` in the same order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

# The predecessor of the first event.
GENESIS = "0" * 64
# Any constant: the key of the PostgreSQL advisory lock that serialises appends.
CHAIN_LOCK_KEY = 7_301_202_611
# The fields sealed, in this order (`hash` itself aside; `id` is given only after the insert,
# the order of ids is checked by `prev_hash` instead).
SEALED_FIELDS = (
    "prev_hash",
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "object_code",
    "details",
    "ip_address",
)


def chain_key() -> bytes:
    """The HMAC key; read on every call so that production settings' own secret is used."""
    key = getattr(settings, "AUDIT_CHAIN_KEY", "") or settings.SECRET_KEY
    return f"audit-chain:{key}".encode()


def event_seal(values: Mapping[str, Any], *, key: bytes | None = None) -> str:
    """The HMAC-SHA256 (hex) of an event's sealed fields, taken from `values` by name."""
    content = [_canonical(name, values.get(name)) for name in SEALED_FIELDS]
    message = json.dumps(content, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return hmac.new(key or chain_key(), message.encode(), hashlib.sha256).hexdigest()


def chain_lock(connection: BaseDatabaseWrapper) -> None:
    """Serialise appends until the current transaction ends (PostgreSQL; SQLite needs none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    at: datetime | None
    reason: str


def chain_breaks(rows: Iterator[Mapping[str, Any]]) -> Iterator[ChainBreak | int]:
    """Walk events in id order; yield each break found, and finally the count of events.

    After a break the walk goes on from the broken event's own seal, so that one forged
    event is reported once rather than breaking every event after it.
    """
    key = chain_key()
    expected = GENESIS
    previous_id: int | None = None
    count = 0
    for row in rows:
        count += 1
        stored = row.get("hash")
        after = f"al evento n.º {previous_id}" if previous_id else "al comienzo del registro"
        if not stored:
            yield ChainBreak(
                row["id"], row.get("at"), "no tiene huella: no lo escribió el registro"
            )
        elif row.get("prev_hash") != expected:
            yield ChainBreak(
                row["id"],
                row.get("at"),
                f"no sigue {after}: falta un evento, o se insertó o cambió de lugar",
            )
        elif not hmac.compare_digest(event_seal(row, key=key), stored):
            yield ChainBreak(
                row["id"],
                row.get("at"),
                "su contenido no corresponde a su huella: fue alterado o falsificado",
            )
        expected = stored or expected
        previous_id = row["id"]
    yield count


def _canonical(name: str, value: Any) -> Any:
    """The sealed form of a field, the same whether it was just written or read back."""
    if name == "at" and isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds")
    if name == "details":
        return _json_canonical(value if value is not None else {})
    if name in ("actor_username", "object_type", "object_id", "object_code", "action"):
        return "" if value is None else str(value)
    return value


def _json_canonical(value: Any) -> Any:
    """JSON as PostgreSQL's jsonb gives it back: a whole float (1.0, 1e20) reads as an int."""
    if isinstance(value, dict):
        return {str(key): _json_canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_canonical(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
