"""Stored reports: the dashboard serves a snapshot of the figures until the data changes.

Computing the report scans every enrollment, which takes seconds on a registry of millions.
The figures only change when a write commits (see `freshness`), so each set of filters is
computed once per data version and stored; later requests read the stored JSON. The first
request after a change (or `manage.py report_snapshot_refresh`) recomputes it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.models import ReportSnapshot
from registry.reports.disclosure.publish import report_withheld
from registry.reports.filters import ReportFilters
from registry.reports.freshness import report_data_version
from registry.reports.selectors import report_build

# A CharField: its max_length is always set.
KEY_MAX_LENGTH = cast(int, ReportSnapshot._meta.get_field("key").max_length)


@dataclass(frozen=True)
class CachedReport:
    report: dict[str, Any]
    computed_at: datetime  # when the computation started: the figures are the data as of then
    from_snapshot: bool
    # The report with its small counts withheld, when it was stored with the snapshot.
    published: dict[str, Any] | None = None


def report_snapshot_fetch(
    *, filters: ReportFilters, sections: Collection[str] | None = None
) -> CachedReport:
    """The report for these filters, from a current snapshot when there is one.

    With `sections` (a download needs one table) a current snapshot is used if present,
    otherwise only those sections are computed and nothing is stored.
    """
    # Read before computing: if the data changes meanwhile, the snapshot stored below
    # carries the older version and is stale at once, never wrongly current.
    version = report_data_version()
    snapshot = (
        ReportSnapshot.objects.filter(key=filters.querystring(), data_version=version)
        .only("report_json", "published_json", "computed_at")
        .first()
    )
    if snapshot is not None:
        published = json.loads(snapshot.published_json) if snapshot.published_json else None
        return CachedReport(json.loads(snapshot.report_json), snapshot.computed_at, True, published)
    if sections is not None:
        return CachedReport(report_build(filters=filters, sections=sections), timezone.now(), False)
    return report_snapshot_refresh(filters=filters, version=version)


def report_snapshot_refresh(*, filters: ReportFilters, version: int | None = None) -> CachedReport:
    """Compute the full report for these filters and store it as the current snapshot."""
    version = report_data_version() if version is None else version
    computed_at = timezone.now()
    started = time.perf_counter()
    text = json.dumps(report_build(filters=filters), cls=DjangoJSONEncoder, ensure_ascii=False)
    # Served as read back from JSON, so a fresh report and a stored one render the same; the
    # withheld copy is made from it (`report_withheld` leaves its argument as it is).
    report = json.loads(text)
    withheld = report_withheld(report, filters=filters)
    published = json.dumps(withheld, cls=DjangoJSONEncoder, ensure_ascii=False)
    seconds = time.perf_counter() - started
    _store(
        key=filters.querystring(),
        version=version,
        text=text,
        published=published,
        computed_at=computed_at,
        seconds=seconds,
    )
    return CachedReport(report, computed_at, False, withheld)


@transaction.atomic
def _store(
    *, key: str, version: int, text: str, published: str, computed_at: datetime, seconds: float
) -> None:
    if len(key) > KEY_MAX_LENGTH:
        return  # an unusually long free-text filter: served, not stored
    existing = ReportSnapshot.objects.select_for_update().filter(key=key).first()
    if existing is not None and existing.data_version > version:
        return  # a request that started later already stored newer figures
    snapshot = existing or ReportSnapshot(key=key)
    snapshot.data_version = version
    snapshot.report_json = text
    snapshot.published_json = published
    snapshot.computed_at = computed_at
    snapshot.compute_seconds = round(seconds, 3)
    # The unique key is left to the database: two requests may store it at once.
    snapshot.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            snapshot.save()
    except IntegrityError:
        return  # another request stored this key at the same moment; its figures serve
    # Older versions can never be served again.
    ReportSnapshot.objects.filter(data_version__lt=version).delete()
