"""A plan for an actor who is not a registry administrator (`Plan.restricted`).

Who imports matters. School staff may import rosters for their own cohorts, but the registry
holds every school's participants, so for an actor who is not a registry administrator:
- a row linked by DNI, or repeating a linked row of the same file, must also agree on the
  names (phonetic key of the paternal surname and of the first given name, as the school
  registration form requires); otherwise it becomes a new person (without the DNI, which
  belongs to the registered person) queued for review with that person, never a silent link
  of a stranger - the DNI stays in the row's source record;
- a linked or compared person the actor may not see is shown as "persona ya registrada en el
  registro" instead of their code, so the preview and report reveal nothing of other schools;
  the rows' outcomes and reasons are shown as `school_view` says (a row queued for review
  with such a person reads as a new one, so a DNI registered under other names stays unsaid).
An actor of None is the command line, run by the registry's operators: nothing is hidden.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User

from accounts.access.rows import persons_visible_to
from intake.roster_import import report as outcomes
from participants.models import Person

if TYPE_CHECKING:
    from intake.roster_import.planning import RowPlan

# Shown in place of the code of a person the importing user may not see.
HIDDEN_PERSON = "persona ya registrada en el registro"
DNI_NAME_MISMATCH = (
    "el DNI ya figura en el registro con otros nombres: se registra como persona nueva sin DNI "
    "y el administrador del registro revisará si es la misma persona"
)


def review_dni_name_mismatches(plans: list[RowPlan]) -> None:
    """Turn a DNI link whose names disagree into a new person queued for review.

    A row repeating a linked row of the same file is checked too, against the same person:
    otherwise a first row copying a registered person's names and e-mail would carry a
    second row, with invented names and that person's DNI, into their identity records.
    """
    checked = {
        plan.person_id for plan in plans if plan.person_id is not None and _links_existing(plan)
    }
    keys = {
        pk: (paternal_key, given_key)
        for pk, paternal_key, given_key in Person.objects.filter(pk__in=checked).values_list(
            "pk", "paternal_key", "given_key"
        )
    }
    relinked: set[int] = set()
    for plan in plans:
        if plan.outcome != outcomes.LINKED or plan.person is None:
            continue
        if keys.get(plan.person_id or 0) != (plan.person.paternal_key, plan.person.given_key):
            _to_review(plan)
            relinked.add(plan.row.position)
    for plan in plans:
        if plan.outcome != outcomes.REPEATED:
            continue
        if plan.same_as in relinked:
            plan.person_id = None  # follows its first row to the new person
        elif (
            plan.person is not None
            and plan.person_id is not None
            and keys.get(plan.person_id) != (plan.person.paternal_key, plan.person.given_key)
        ):
            _to_review(plan)


def _links_existing(plan: RowPlan) -> bool:
    """The row would become an identity record of a registered person."""
    return plan.person_id is not None and plan.outcome in (outcomes.LINKED, outcomes.REPEATED)


def _to_review(plan: RowPlan) -> None:
    """A new person of the row's own values, queued for review with the person it named."""
    plan.outcome = outcomes.REVIEW
    plan.review_person_id, plan.person_id = plan.person_id, None
    plan.same_as = None
    plan.reason = DNI_NAME_MISMATCH
    # One active person per DNI: the new person goes without it until the review.
    if plan.person is not None:
        plan.person.document_number = ""


def codes_as_seen(actor: User, codes: dict[int, str]) -> dict[int, str]:
    """Person id -> code, with HIDDEN_PERSON for each person `actor` may not see."""
    visible = set(persons_visible_to(actor).filter(pk__in=list(codes)).values_list("pk", flat=True))
    return {pk: code if pk in visible else HIDDEN_PERSON for pk, code in codes.items()}
