"""What a write taught about existing persons, and the questions it raises for reviewers.

After an import adds identity records to persons, each touched person's displayed values are
brought up to date (`participants.identity.survivorship`), two active persons that now show
the same DNI are queued as a possible duplicate, and a person whose records carry two DNIs
that cannot both be theirs is queued as a suspected wrong link.
"""

from __future__ import annotations

from collections.abc import Iterable

from participants.identity.survivorship import persons_refresh_from_records
from participants.linkage_store import ModelInUse
from participants.models import Person
from review.services import candidate_record
from review.splits import split_suspects_queue

SAME_DNI_SCORE = 0.99


def identity_learned(*, person_ids: Iterable[int], model: ModelInUse | None = None) -> None:
    person_ids = set(person_ids)
    if not person_ids:
        return
    for pk, holder in persons_refresh_from_records(person_ids):
        candidate = candidate_record(
            person_a=Person(pk=pk),
            person_b=Person(pk=holder),
            score=SAME_DNI_SCORE,
            reasons=["las dos personas muestran el mismo DNI en sus registros"],
        )
        if candidate is not None and model is not None and candidate.model_id is None:
            candidate.model = model.version
            candidate.save(update_fields=["model"])
    split_suspects_queue(person_ids)
