"""A person's post twice over: as at their latest training (the enrollment, never rewritten)
and as they last reported it (the latest `ReportedPost`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from courses.models import Enrollment
from followup.models import ReportedPost


@dataclass(frozen=True)
class Post:
    institution_id: int | None
    region_id: int | None
    role_id: int | None = None


def training_posts(person_ids: Iterable[int]) -> dict[int, Post]:
    """Each person's post as at their latest participation: the cohort that started last
    (undated cohorts count as the oldest), then the latest enrollment of the same cohort date.

    Merged persons are not followed: a sample member is the person drawn, who was active then.
    """
    ids = list(dict.fromkeys(person_ids))
    rows = (
        Enrollment.objects.filter(person_id__in=ids)
        .order_by("person_id", "cohort__start_date", "pk")
        .values_list("person_id", "institution_id", "region_id", "role_id", "cohort__start_date")
    )
    posts: dict[int, Post] = {}
    for person_id, institution_id, region_id, role_id, _start in _undated_first(rows):
        posts[person_id] = Post(institution_id, region_id, role_id)  # later ones overwrite
    return posts


def _undated_first(
    rows: Iterable[tuple[int, int | None, int | None, int | None, object]],
) -> list[tuple[int, int | None, int | None, int | None, object]]:
    # Databases disagree on where NULL sorts; an undated cohort must never win over a dated one.
    return sorted(rows, key=lambda row: (row[0], row[4] is not None, str(row[4] or "")))


def reported_posts_latest(person_ids: Iterable[int]) -> dict[int, ReportedPost]:
    """Each person's last known post: their latest reported post (by date, then recording)."""
    ids = list(dict.fromkeys(person_ids))
    latest: dict[int, ReportedPost] = {}
    rows = ReportedPost.objects.filter(person_id__in=ids).order_by(
        "person_id", "reported_on", "recorded_at", "pk"
    )
    for post in rows:
        latest[post.person_id] = post
    return latest
