"""Two processes appending audit events at once on PostgreSQL: the chain must not fork.

The first writer seals its event and holds its transaction open a moment; the second,
started meanwhile, must wait for it and seal onto its event (without the lock it would seal
onto the same predecessor and the unique index would refuse it).
"""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_appends_serialise_into_one_chain(postgres_only: None) -> None:
    audit_record(actor=None, action=AuditAction.EXPORT, details={"who": "before"})
    first_sealed = threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = audit_record(
                    actor=None, action=AuditAction.EXPORT, details={"who": "first"}
                )
                first_sealed.set()
                time.sleep(0.5)  # still uncommitted while the second one writes
        except Exception as error:  # reported by the assertions below
            results["first"] = error
        finally:
            first_sealed.set()
            connection.close()

    def second() -> None:
        first_sealed.wait(timeout=10)
        try:
            results["second"] = audit_record(
                actor=None, action=AuditAction.EXPORT, details={"who": "second"}
            )
        except Exception as error:
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "an append hung"
    assert isinstance(results["first"], AuditEvent), results["first"]
    assert isinstance(results["second"], AuditEvent), results["second"]
    assert results["second"].prev_hash == results["first"].hash
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "íntegro: 3 eventos" in out.getvalue()
