"""Field-by-field comparison of two persons for the review page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from participants.models import Person
from participants.names import fold
from review.merging.field_values import (
    FIELDS,
    LABELS,
    MERGED,
    RULE_TEXT,
    SURVIVOR,
    field_value,
    is_empty,
    survivorship,
)

AGREE, PARTIAL, DISAGREE = "agree", "partial", "disagree"
_SIMILAR_NAME = 85


@dataclass(frozen=True)
class FieldComparison:
    field: str
    label: str
    value_a: str
    value_b: str
    agreement: str  # AGREE, PARTIAL, DISAGREE, or "" when one side has no value
    rule: str
    # Which side the rule keeps when A survives and when B survives ("a" or "b").
    rule_side_if_a: str
    rule_side_if_b: str

    @property
    def choosable(self) -> bool:
        """Both hold a value and they differ: the reviewer may pick one."""
        return self.agreement in (PARTIAL, DISAGREE)


def display_value(person: Person, field: str) -> str:
    if is_empty(person, field):
        return ""
    if field == "sex":
        return str(person.get_sex_display())  # the one list of sex labels: the model's
    if field == "document":
        return f"{person.get_document_type_display()} {person.document_number}"
    if field == "birth_date":
        return person.birth_date.strftime("%d/%m/%Y") if person.birth_date else ""
    return str(field_value(person, field))


def _names(a: str, b: str) -> str:
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return AGREE
    words_a, words_b = set(fa.split()), set(fb.split())
    initials = {w[0] for w in words_a | words_b if len(w) == 1}
    if words_a & words_b or initials or fuzz.ratio(fa, fb) >= _SIMILAR_NAME:
        return PARTIAL
    return DISAGREE


def _one_digit_apart(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def _dates(a: date, b: date) -> str:
    if a == b:
        return AGREE
    parts = sum((a.year == b.year, a.month == b.month, a.day == b.day))
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    return PARTIAL if parts >= 2 or swapped else DISAGREE


def agreement(a: Person, b: Person, field: str) -> str:
    if is_empty(a, field) or is_empty(b, field):
        return ""
    if field in ("given_names", "paternal_surname", "maternal_surname"):
        return _names(field_value(a, field), field_value(b, field))
    if field == "document":
        if (a.document_type, a.document_number) == (b.document_type, b.document_number):
            return AGREE
        return PARTIAL if _one_digit_apart(a.document_number, b.document_number) else DISAGREE
    if field == "birth_date":
        return _dates(a.birth_date, b.birth_date)  # type: ignore[arg-type]
    if field == "email":
        ea, eb = a.email.lower(), b.email.lower()
        if ea == eb:
            return AGREE
        return PARTIAL if ea.split("@")[0] == eb.split("@")[0] else DISAGREE
    if field == "phone":
        da = "".join(c for c in a.phone if c.isdigit())[-9:]
        db = "".join(c for c in b.phone if c.isdigit())[-9:]
        return AGREE if da == db else DISAGREE
    return AGREE if field_value(a, field) == field_value(b, field) else DISAGREE


def compare_persons(a: Person, b: Person) -> list[FieldComparison]:
    """One row per field, with agreement and the value the survivorship rule would keep."""
    if_a = survivorship(survivor=a, merged=b)
    if_b = survivorship(survivor=b, merged=a)
    rows = []
    for field in FIELDS:
        rows.append(
            FieldComparison(
                field=field,
                label=LABELS[field],
                value_a=display_value(a, field),
                value_b=display_value(b, field),
                agreement=agreement(a, b, field),
                rule=RULE_TEXT[field],
                rule_side_if_a="a" if if_a[field].side == SURVIVOR else "b",
                rule_side_if_b="b" if if_b[field].side == SURVIVOR else "a",
            )
        )
    return rows


def choices_from_sides(*, sides: dict[str, str], survivor_is_a: bool) -> dict[str, str]:
    """Turn the page's per-field picks ("a"/"b"; absent = the rule) into merge field choices."""
    choices = {}
    for field, side in sides.items():
        if field in FIELDS and side in ("a", "b"):
            choices[field] = SURVIVOR if (side == "a") == survivor_is_a else MERGED
    return choices
