"""How to reach a person now: their latest e-mail and phone, and their last known post.

- The e-mail and the phone are each the latest non-empty one any identity record of the
  person (or of a record merged into them) states: a roster from last month knows a newer
  address than the person's displayed value may show. Without any, the person's own.
- The post is the latest `ReportedPost` (what the person said in a survey), or else the
  institution and region of their latest enrollment (the post at their last training).

A contact is usable when it could be written to: an e-mail with a name, an "@" and a
domain with a dot, or a phone with at least six digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F

from courses.models import Enrollment
from followup.models import ReportedPost
from participants.models import IdentityRecord, Institution, Person, Region
from participants.record_frames.merged_persons import members_of

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_MIN_PHONE_DIGITS = 6
# Ids per query: SQLite allows at most 999 parameters in older builds.
_CHUNK = 900


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""

    @property
    def usable(self) -> bool:
        return email_usable(self.email) or phone_usable(self.phone)


@dataclass(frozen=True)
class Post:
    institution: str = ""
    region: str = ""


def email_usable(email: str) -> bool:
    return bool(_EMAIL.match(email.strip()))


def phone_usable(phone: str) -> bool:
    return sum(character.isdigit() for character in phone) >= _MIN_PHONE_DIGITS


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def latest_contacts(person_ids: Iterable[int]) -> dict[int, Contact]:
    """Each person's latest e-mail and phone (see the module docstring)."""
    ids = list(dict.fromkeys(person_ids))
    found: dict[int, dict[str, str]] = {}
    for chunk in _chunks(ids):
        for pk, email, phone in Person.objects.filter(pk__in=chunk).values_list(
            "pk", "email", "phone"
        ):
            found[pk] = {"email": email or "", "phone": phone or ""}
        members = members_of(chunk)
        records = (
            IdentityRecord.objects.filter(person_id__in=list(members))
            .order_by("created_at", "id")
            .values_list("person_id", "email", "phone")
        )
        for person_id, email, phone in records.iterator(chunk_size=2000):
            values = found.setdefault(members[person_id], {"email": "", "phone": ""})
            # Oldest first: a later record's non-empty value replaces an earlier one.
            if email:
                values["email"] = email
            if phone:
                values["phone"] = phone
    return {pk: Contact(**values) for pk, values in found.items()}


def latest_posts(person_ids: Iterable[int]) -> dict[int, Post]:
    """Each person's last known institution and region (see the module docstring)."""
    ids = list(dict.fromkeys(person_ids))
    institutions = dict(Institution.objects.values_list("pk", "name"))
    regions = dict(Region.objects.values_list("pk", "name"))
    posts: dict[int, Post] = {}
    for chunk in _chunks(ids):
        enrollments = (
            Enrollment.objects.filter(person_id__in=chunk)
            .order_by(F("cohort__start_date").asc(nulls_first=True), "pk")
            .values_list(
                "person_id", "institution_id", "institution_text", "region_id", "region_text"
            )
        )
        for person_id, institution_id, institution_text, region_id, region_text in enrollments:
            posts[person_id] = Post(
                institution=institutions.get(institution_id, "") or institution_text,
                region=regions.get(region_id, "") or region_text,
            )
        reported = (
            ReportedPost.objects.filter(person_id__in=chunk)
            .order_by("reported_on", "recorded_at", "pk")
            .values_list(
                "person_id", "institution_id", "institution_text", "region_id", "region_text"
            )
        )
        # After the enrollments, and oldest first: the latest statement of all wins.
        for person_id, institution_id, institution_text, region_id, region_text in reported:
            posts[person_id] = Post(
                institution=institutions.get(institution_id, "") or institution_text,
                region=regions.get(region_id, "") or region_text,
            )
    return posts
