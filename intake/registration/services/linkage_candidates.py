"""A registration without a DNI the registry knows: the linkage engine's candidates.

The typed values are scored by `intake.registration.matching`. The user chooses first
(`chosen_or_none`) - the existing person they see, or a confirmed new one - when a candidate
is at or above the auto-link threshold, or, at any probability from the review threshold
on, is already enrolled in the cohort or was brought to the registry by another school: a
school cannot compare its typed values with another school's data, nor miss that the person
is a row of this very cohort, so a doubtful match there is the user's question, not only
the registry administrator's. A new person close to someone is queued for the registry administrator
as a possible duplicate (`possible_duplicates_queue`), and the audit event of an existing
person chosen among the candidates says how it scored (`chosen_match_details`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from accounts.person_sources import person_sources
from courses.models import Cohort, Enrollment
from formats.numbers import probability_shown
from intake.registration.matching.as_seen import person_candidate_for, registration_matches_as_seen
from intake.registration.matching.scoring import RegistrationScores, registration_scores
from intake.registration.services.outcomes import (
    RegistrationNeedsConfirmation,
    RegistrationRefused,
)
from participants.models import Person
from review.services import candidate_record


def scores_of(fields: dict[str, Any]) -> RegistrationScores:
    return registration_scores(
        given_names=fields["given_names"],
        paternal_surname=fields["paternal_surname"],
        maternal_surname=fields["maternal_surname"],
        dni=fields["document_number"],
        sex=fields["sex"],
        birth_date=fields.get("birth_date"),
        email=fields["email"],
        phone=fields["phone"],
    )


def chosen_or_none(
    *, actor: Any, cohort: Cohort, scores: RegistrationScores, code: str, confirmed_new: bool
) -> Person | None:
    """The existing person the user chose, None for a new person, or a question first."""
    if code:
        chosen = person_candidate_for(user=actor, scores=scores, code=code)
        if chosen is None:
            # Changed names, a person merged meanwhile or a code typed by hand: the choice
            # no longer stands, and nothing says whether the code exists.
            raise RegistrationRefused(
                "La persona elegida no coincide con los datos escritos. Revise los datos y "
                "vuelva a elegir."
            )
        # Locks the row so that a concurrent merge or cancellation waits for this enrollment.
        return Person.objects.select_for_update().get(pk=chosen.pk)
    if not confirmed_new and (scores.likely_registered or _asks_here(scores, cohort)):
        raise RegistrationNeedsConfirmation(
            registration_matches_as_seen(user=actor, scores=scores, cohort=cohort)
        )
    return None


def _asks_here(scores: RegistrationScores, cohort: Cohort) -> bool:
    """Whether a candidate from the review threshold on is enrolled in `cohort` already or
    was brought to the registry by another school than the cohort's."""
    ids = [p.person_id for p in scores.at_or_above(settings.LINKAGE_REVIEW_THRESHOLD)]
    if not ids:
        return False
    if Enrollment.objects.filter(cohort=cohort, person_id__in=ids).exists():
        return True
    return any(
        source.first_school_id not in (None, cohort.school_id)
        for source in person_sources(ids).values()
    )


def possible_duplicates_queue(
    *, person: Person, scores: RegistrationScores, confirmed_new: bool
) -> dict[str, Any]:
    """Queue the new person against every candidate at or above the review threshold, as the
    import does; what was queued goes into the audit event."""
    queued = []
    model = scores.model
    for scored in scores.at_or_above(settings.LINKAGE_REVIEW_THRESHOLD):
        likely = scored.probability >= settings.LINKAGE_AUTO_LINK_THRESHOLD
        reason = (
            f"{'coincidencia probable' if likely else 'coincidencia dudosa'}, "
            f"p={probability_shown(scored.probability)}: {scored.reasons}"
        )
        # The user was asked about every candidate of the question and answered for them all.
        if confirmed_new:
            reason = f"inscripción de escuela confirmada como otra persona; {reason}"
        else:
            reason = f"inscripción de escuela; {reason}"
        candidate = candidate_record(
            person_a=person,
            person_b=Person(pk=scored.person_id),
            score=scored.probability,
            reasons=[reason],
        )
        if candidate is None:
            continue
        if model is not None and model.version is not None and candidate.model_id is None:
            candidate.model = model.version
            candidate.save(update_fields=["model"])
        queued.append(
            {
                "pair": candidate.pk,
                "person": Person.objects.filter(pk=scored.person_id)
                .values_list("code", flat=True)
                .first(),
                "probability": round(scored.probability, 4),
            }
        )
    if not queued:
        return {}
    return {
        "possible_duplicates": queued,
        "confirmed_new_person": confirmed_new,
        "linkage_model": model.label if model else "",
        "linkage_model_version": model.version.pk if model and model.version else None,
    }


def chosen_match_details(
    *, person: Person, scores: RegistrationScores, existing: bool
) -> dict[str, Any]:
    """For an existing person the user chose among the engine's candidates: how it scored."""
    scored = next((p for p in scores.persons if p.person_id == person.pk), None)
    if not existing or scored is None:
        return {}
    return {
        "matched_by": "linkage",
        "probability": round(scored.probability, 4),
        "linkage_model_version": scores.model.version.pk
        if scores.model and scores.model.version
        else None,
    }
