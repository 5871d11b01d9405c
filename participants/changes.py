"""The one signal that a write changed what the reports count.

The database triggers mark the persons whose counted rows a write touched, whatever wrote
them. What the triggers cannot see (a review decision changes the "if reviews were
confirmed" range, a vocabulary's names change labels, a bulk write sends no `post_save`)
the service that wrote it announces with `counted_data_changed()`. The reports
(`registry.reports.freshness`) are the receivers, so the services, low in the stack, do not
know the reports exist; `changes_batched()` lets a batch of writes (a back-fill of hundreds of
roster files) be caught up with once at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.dispatch import Signal

data_changed = Signal()
batch_finished = Signal()
# Sent inside a cancellation's transaction: every cache of figures that could hold the
# person's data must go with it.
personal_data_erased = Signal()

_batched: ContextVar[bool] = ContextVar("counted_data_changes_batched", default=False)


def counted_data_changed() -> None:
    """Announce, inside the writing transaction, that counted data changed."""
    data_changed.send(sender=None)


def personal_data_erased_now() -> None:
    """Announce, inside the cancelling transaction, that a person's data was erased."""
    personal_data_erased.send(sender=None)


def changes_batched_now() -> bool:
    """True inside `changes_batched()`: receivers leave the catching up to its end."""
    return _batched.get()


@contextmanager
def changes_batched() -> Iterator[None]:
    """Within this block, the reports catch up once, at its end, instead of per commit."""
    token = _batched.set(True)
    try:
        yield
    finally:
        _batched.reset(token)
        batch_finished.send(sender=None)
