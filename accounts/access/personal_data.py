"""What of a visible person's personal data a user may read, and how persons are named to them.

Seeing a person's row (`accounts.access.rows`) is not reading their personal data (names,
DNI, sex, birth date, e-mail, phone). A school reads a person's personal data only as far as
the school itself supplied it (`persons_as_seen_by`, on every page, form label and list a
school user sees):
- a person another school brought to the registry (the school of the person's first
  enrollment) is shown to every other school by its participant code and only the values that
  school itself supplied (its own roster rows and registrations of the person: the name as it
  wrote it), even once the link enrolled them in its cohort: the link keeps the registry
  counting one person, it never opens another school's data; with nothing of its own, the
  school reads "ya registrada";
- to the school that brought the person, a value that only another school supplied (a DNI
  or a phone a later roster of theirs added) is withheld, and the school's own value for that
  field, if it gave one, shown instead.
Which school supplied what is read from the person's enrollments and identity records
(`accounts.person_sources`). Each copy lists in `hidden_fields` the fields whose value the
registry holds but the user may not read, so that a page says "oculto" (`HIDDEN`) there rather
than "no registrado".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.access.rows import persons_visible_to
from accounts.access.user_scope import User, is_registry_admin, is_school_staff, user_school
from accounts.person_sources import RECORD_FIELDS, PersonSources, person_sources
from participants.documents import DocumentType
from participants.models import Person, Sex
from participants.names import fold

# Shown in place of the name of a person whose personal data the user may not read.
REGISTERED_ELSEWHERE = "ya registrada"
# Shown in place of a value the registry holds but the user may not read.
HIDDEN = "oculto"
NAME_FIELDS = ("given_names", "paternal_surname", "maternal_surname")
PERSONAL_FIELDS = (*RECORD_FIELDS, "document_type")
_WITHHELD: dict[str, Any] = {"sex": Sex.NOT_RECORDED, "birth_date": None}


def persons_as_seen_by(user: User, persons: Iterable[Person]) -> list[Person]:
    """The persons as `user` may read them, in the same order (see the module docstring).

    Registry administrators get the persons themselves. Anyone else gets copies in which
    every value they may not read is withheld; a copy refuses to be saved, so a withheld
    (blank) value can never be written over the person. Each person returned carries
    `details_withheld` (True: brought by another school, whose data is withheld),
    `seen_name` (the name to show) and `hidden_fields` (values held but withheld).
    A person outside `persons_visible_to` is withheld entirely, its code included.
    """
    persons = list(persons)
    if is_registry_admin(user):
        for person in persons:
            person.details_withheld = False  # type: ignore[attr-defined]
            person.seen_name = person.full_name  # type: ignore[attr-defined]
            person.hidden_fields = frozenset()  # type: ignore[attr-defined]
        return persons
    school = user_school(user) if is_school_staff(user) else None
    visible: set[int] = set()
    if school is not None:
        visible = set(
            persons_visible_to(user)
            .filter(pk__in=[person.pk for person in persons])
            .values_list("pk", flat=True)
        )
    sources = person_sources(visible)
    seen = []
    for person in persons:
        if person.pk not in visible:
            seen.append(_copy(person, _all_withheld(code=True)))
        elif sources[person.pk].first_school_id != school.pk:  # type: ignore[union-attr]
            seen.append(_copy(person, _supplied_by(sources[person.pk], school.pk)))  # type: ignore[union-attr]
        else:
            seen.append(_copy(person, _own_values(person, sources[person.pk], school.pk)))  # type: ignore[union-attr]
    return seen


def person_as_seen_by(user: User, person: Person) -> Person:
    return persons_as_seen_by(user, [person])[0]


def person_label(user: User, person: Person) -> str:
    """How a form or a page names a person to `user`: code and name, as far as readable."""
    return _label_of_seen(person_as_seen_by(user, person))


def _label_of_seen(seen: Person) -> str:
    return " ".join(part for part in (seen.code, seen.seen_name) if part)  # type: ignore[attr-defined]


def rows_as_seen_by(user: User, rows: Iterable[models.Model]) -> None:
    """Point every person foreign key of `rows` at the person as `user` may read them.

    In place and for display only: whatever shows a row afterwards (a page, a read-only
    field, the row's own str()) reads its persons through `persons_as_seen_by`. One batch of
    queries for all the rows; registry administrators' rows are left as they are.
    """
    if is_registry_admin(user):
        return
    links = [
        (row, field)
        for row in rows
        for field in row._meta.concrete_fields
        if isinstance(field, models.ForeignKey)
        and field.related_model is Person
        and getattr(row, field.attname) is not None
    ]
    if not links:
        return
    ids = {getattr(row, field.attname) for row, field in links}
    seen = {
        person.pk: person
        for person in persons_as_seen_by(user, Person.objects.filter(pk__in=ids).order_by("pk"))
    }
    for row, field in links:
        field.set_cached_value(row, seen[getattr(row, field.attname)])


def _comparable(field: str, value: Any) -> str:
    """A value in the form two sources agree on (accents, case and phone spacing aside)."""
    if value in (None, "") or (field == "sex" and value == Sex.NOT_RECORDED):
        return ""
    if field in NAME_FIELDS:
        return fold(value)
    if field == "email":
        return str(value).strip().lower()
    if field == "phone":
        return "".join(char for char in str(value) if char.isdigit())
    return str(value)


def _own_values(person: Person, sources: PersonSources, school_id: int) -> dict[str, Any]:
    """Changes to `person` for the school that brought it: each value no record of the school
    shows but another school's does is replaced by the school's own latest value, or withheld.
    Values no school supplied (an administrator's, or from before identity records were kept)
    stay: they are the registry's, not another school's."""
    own = [record for record in sources.records if record["school_id"] == school_id]
    others = [record for record in sources.records if record["school_id"] not in (None, school_id)]
    changes: dict[str, Any] = {}
    for field in RECORD_FIELDS:
        current = _comparable(field, getattr(person, field))
        if not current or any(_comparable(field, r[field]) == current for r in own):
            continue
        if not any(_comparable(field, r[field]) == current for r in others):
            continue
        fallback = next((r[field] for r in reversed(own) if _comparable(field, r[field])), None)
        changes[field] = _WITHHELD.get(field, "") if fallback is None else fallback
    if changes.get("document_number") == "":
        changes["document_type"] = ""
    return changes


def _supplied_by(sources: PersonSources, school_id: int) -> dict[str, Any]:
    """Changes to a person another school brought, for school `school_id`: every value
    withheld but the school's own latest one for each field its records show."""
    changes = _all_withheld(code=False)
    for record in reversed(sources.records):
        if record["school_id"] != school_id:
            continue
        for field in RECORD_FIELDS:
            if changes[field] == _WITHHELD.get(field, "") and _comparable(field, record[field]):
                changes[field] = record[field]
        if changes["document_number"] and not changes["document_type"]:
            # The type the school gave with the number (a registration's is always a DNI).
            changes["document_type"] = record["document_type"] or DocumentType.DNI
    return changes


def _all_withheld(*, code: bool) -> dict[str, Any]:
    changes = {field: _WITHHELD.get(field, "") for field in PERSONAL_FIELDS}
    changes["details_withheld"] = True
    if code:
        changes["code"] = ""
    return changes


def _refuse_save(*args: Any, **kwargs: Any) -> None:
    raise PermissionDenied("A person as seen by a user is for display and is never saved.")


def _copy(person: Person, changes: dict[str, Any]) -> Person:
    copy = Person(
        **{field.attname: getattr(person, field.attname) for field in Person._meta.concrete_fields}
    )
    copy._state.adding = False
    copy._state.db = person._state.db
    withheld = changes.pop("details_withheld", False)
    for field, value in changes.items():
        setattr(copy, field, value)
    hidden = {
        field
        for field in RECORD_FIELDS
        if _comparable(field, getattr(person, field))
        and not _comparable(field, getattr(copy, field))
    }
    if "document_number" in hidden:
        hidden.add("document_type")
    copy.hidden_fields = frozenset(hidden)  # type: ignore[attr-defined]
    # The phonetic keys spell the surnames out; nothing displays them.
    copy.paternal_key = copy.maternal_key = copy.given_key = ""
    copy.details_withheld = withheld  # type: ignore[attr-defined]
    copy.seen_name = (  # type: ignore[attr-defined]
        copy.full_name if copy.given_names or copy.paternal_surname else REGISTERED_ELSEWHERE
    )
    # Instance attributes shadow the model's methods: the copy holds blanks where values
    # are withheld, and saving it would write them over the person.
    copy.save = copy.delete = _refuse_save  # type: ignore[method-assign, assignment]
    return copy


def related_label(user: User, obj: models.Model) -> str:
    """A related row's label in a form: a person as far as the user may read them."""
    return related_labels(user, [obj])[0]


def related_labels(user: User, objs: Iterable[models.Model]) -> list[str]:
    """How a form, a raw-id input or an autocomplete names each row to `user`, in order.

    A person by code and name as far as the user may read them (`person_label`); any other
    row by its own str(), read with the persons it points at as the user may read them
    (`rows_as_seen_by`), so that a label built from a person shows no more than a page does.
    """
    objs = list(objs)
    if is_registry_admin(user):
        return [str(obj) for obj in objs]
    rows_as_seen_by(user, [obj for obj in objs if not isinstance(obj, Person)])
    persons = iter(persons_as_seen_by(user, [obj for obj in objs if isinstance(obj, Person)]))
    return [_label_of_seen(next(persons)) if isinstance(obj, Person) else str(obj) for obj in objs]


__all__ = [
    "HIDDEN",
    "REGISTERED_ELSEWHERE",
    "person_as_seen_by",
    "person_label",
    "persons_as_seen_by",
    "related_label",
    "related_labels",
    "rows_as_seen_by",
]
