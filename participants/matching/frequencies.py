"""How common each compared value is in the whole registry (term frequencies).

Among candidates fetched because they are called Chuquimamani, every one is called
Chuquimamani; a value's weight must come from how rare it is among all persons. Names are
counted by phonetic key over active persons (indexed columns), which pools spelling
variants: a little more common than the exact spelling, so the evidence is, if anything,
understated. E-mail addresses and phones are counted as the number of different persons whose
records show them, so an office inbox that five colleagues wrote is five times as common as a
personal address. The rows being linked count too.

A young registry knows little about how common a name is (in a registry of two persons every
name is held by half of them), so counts are smoothed towards the model's chance agreement as
if `PSEUDO_POPULATION` typical persons had been seen: a nearly empty registry weighs
agreement as the model does on average, and a large one by its own counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from django.db.models import Count

from participants.linkage import LinkageModel
from participants.models import IdentityRecord, Person, PersonStatus
from participants.registry_frames import active_persons_of


def _name_counts(surname_keys: set[str], given_keys: set[str]) -> tuple[dict, dict]:
    active = Person.objects.filter(status=PersonStatus.ACTIVE)
    surname_counts: dict[str, int] = {}
    for column in ("paternal_key", "maternal_key"):
        for key, n in (
            active.filter(**{f"{column}__in": surname_keys})
            .values_list(column)
            .annotate(n=Count("id"))
            .order_by()
        ):
            surname_counts[key] = surname_counts.get(key, 0) + n
    given_counts = dict(
        active.filter(given_key__in=given_keys)
        .values_list("given_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    return surname_counts, given_counts


def contact_holders(column: str, values: Iterable[str]) -> dict[str, int]:
    """E-mail (or phone) -> how many different active persons show it on any record."""
    values = sorted({value for value in values if value})
    if not values:
        return {}
    pairs: set[tuple[str, int]] = set()
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        pairs.update(
            Person.objects.filter(
                status=PersonStatus.ACTIVE, **{f"{column}__in": chunk}
            ).values_list(column, "pk")
        )
        pairs.update(
            IdentityRecord.objects.filter(**{f"{column}__in": chunk}).values_list(
                column, "person_id"
            )
        )
    survivors = active_persons_of({pk for _, pk in pairs})
    holders: dict[str, set[int]] = {}
    for value, pk in pairs:
        if pk in survivors:
            holders.setdefault(value, set()).add(survivors[pk])
    return {value: len(persons) for value, persons in holders.items()}


PSEUDO_POPULATION = 1_000
# The agreement level whose chance rate stands for a value's frequency before any count.
_TYPICAL_LEVEL = {
    "surname": ("paternal", 3),
    "given": ("given", 5),
    "email": ("email", 3),
    "phone": ("phone", 2),
}


def _typical_rates(model: LinkageModel) -> dict[str, float]:
    rates = {}
    for kind, (feature, level) in _TYPICAL_LEVEL.items():
        u = model.u[model.features.index(feature)]
        rates[kind] = float(u[level])
    return rates


def with_registry_frequencies(
    prepared: pd.DataFrame,
    registry_size: int,
    rows: pd.DataFrame | None = None,
    *,
    model: LinkageModel,
) -> pd.DataFrame:
    """The prepared frame with the registry's frequencies (plus those of `rows`, prepared)."""
    frames = [prepared] if rows is None else [prepared, rows]
    surname_keys = set().union(*(set(f["pat_ph"]) | set(f["mat_ph"]) for f in frames)) - {""}
    given_keys = set().union(*(set(f["giv1_ph"]) for f in frames)) - {""}
    surname_counts, given_counts = _name_counts(surname_keys, given_keys)
    emails = set().union(*(set(f["email_norm"]) for f in frames))
    phones = set().union(*(set(f["phone"]) for f in frames))
    email_counts = contact_holders("email", emails)
    phone_counts = _phone_counts(phones)
    total = max(registry_size, 0)
    extra = {"surname": {}, "given": {}, "email": {}, "phone": {}}
    if rows is not None:
        total += len(rows)
        extra["surname"] = pd.concat([rows["pat_ph"], rows["mat_ph"]]).value_counts().to_dict()
        extra["given"] = rows["giv1_ph"].value_counts().to_dict()
        extra["email"] = rows["email_norm"].value_counts().to_dict()
        extra["phone"] = rows["phone9"].value_counts().to_dict()
    typical = _typical_rates(model)

    def freq(values: pd.Series, counts: dict, kind: str) -> object:
        added = values.map(extra[kind]).fillna(0) if extra[kind] else 0
        counted = values.map(counts).fillna(0) + added
        smoothed = (counted + typical[kind] * PSEUDO_POPULATION) / (total + PSEUDO_POPULATION)
        return smoothed.where(values != "", 0).to_numpy(float)

    out = prepared.copy()
    out["pat_freq"] = freq(out["pat_ph"], surname_counts, "surname")
    out["mat_freq"] = freq(out["mat_ph"], surname_counts, "surname")
    out["giv1_freq"] = freq(out["giv1_ph"], given_counts, "given")
    out["email_freq"] = freq(out["email_norm"], email_counts, "email")
    out["phone_freq"] = freq(out["phone9"], phone_counts, "phone")
    return out


def _phone_counts(phones: set[str]) -> dict[str, int]:
    """Holders per phone as the engine compares it (its last nine digits); phones are stored
    as the import writes them ("+51 987 654 321")."""
    out: dict[str, int] = {}
    for value, n in contact_holders("phone", phones).items():
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 7:
            out[digits[-9:]] = out.get(digits[-9:], 0) + n
    return out
