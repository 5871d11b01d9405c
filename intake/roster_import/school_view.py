"""What a row's outcome tells school staff (restricted_plan.py says who is restricted).

A school may learn that a row will join a person already registered, never who, nor that a
DNI of its file is registered under other names, nor which of another school's values agreed:
- a row the engine would queue for review with a person the school may not see is shown as
  a new person, in the same words as every new row (the registry administrators still get
  the pair to review). Otherwise a file of invented names and guessed DNIs would sort the
  registered DNIs from the others;
- a row linked to such a person says only that it joins a registered person, without the
  engine's probability or reasons;
- agreements on an e-mail or phone are never shown to a school: the engine compares them
  with every record of the person, including those other schools supplied.
"""

from __future__ import annotations

from intake.roster_import import report as outcomes

NEW_FOR_SCHOOL = (
    "persona nueva; el administrador del registro revisa los posibles duplicados con el "
    "resto del registro"
)
JOINS_REGISTERED = (
    "se une a una persona ya registrada (el administrador del registro puede revisarlo); "
    "sus datos no se muestran"
)
ALREADY_ENROLLED = "ya estaba inscrita en esta cohorte"
_CONTACT_PHRASES = ("correo", "teléfono")


def outcome_for_school(
    *, outcome: str, reason: str, person_hidden: bool, review_person_hidden: bool
) -> tuple[str, str]:
    """(outcome, reason) of one row as school staff may read it."""
    if outcome == outcomes.NEW or (outcome == outcomes.REVIEW and review_person_hidden):
        return outcomes.NEW, NEW_FOR_SCHOOL
    if outcome == outcomes.LINKED and person_hidden:
        enrolled = [part for part in _parts(reason) if part.startswith(ALREADY_ENROLLED)]
        return outcome, "; ".join([JOINS_REGISTERED, *enrolled])
    return outcome, without_contact_reasons(reason)


def without_contact_reasons(reason: str) -> str:
    """The reason without its phrases about e-mail or phone agreement."""
    return "; ".join(
        part for part in _parts(reason) if not any(word in part for word in _CONTACT_PHRASES)
    )


def _parts(reason: str) -> list[str]:
    return [part.strip() for part in reason.split(";") if part.strip()]
