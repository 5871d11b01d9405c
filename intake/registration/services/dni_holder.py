"""A registration whose typed DNI already belongs to a person in the registry.

That person is enrolled only if the typed paternal surname and first given name agree with
theirs (same phonetic key), so that a school cannot attach strangers by trying DNIs. When
they do not agree, a registry administrator is refused (`DniNameMismatch`, audited by
`registering`, answered with `DNI_NAMES_REFUSED`), and school staff's registration goes on as
a new person without the DNI, queued for review with the DNI's holder (`dni_holder_queue`).
"""

from __future__ import annotations

from typing import Any

from participants.models import Person
from participants.phonetic import name_keys
from review.services import candidate_record

# Says what to check, not what the registry holds: never that the DNI is registered, nor
# under which names.
DNI_NAMES_REFUSED = (
    "No se pudo registrar a la persona con estos datos. Verifique que el DNI y los nombres "
    "sean los del documento o comuníquese con el administrador del registro."
)


class DniNameMismatch(Exception):
    def __init__(self, person: Person) -> None:
        super().__init__("DNI registered under other names")
        self.person = person


def names_agree(person: Person, given_names: str, paternal_surname: str) -> bool:
    keys = name_keys(
        given_names=given_names, paternal_surname=paternal_surname, maternal_surname=""
    )
    return (keys["paternal_key"], keys["given_key"]) == (person.paternal_key, person.given_key)


def dni_holder_queue(*, person: Person, holder: Person | None, dni: str) -> dict[str, Any]:
    """The pair of a new person registered with `holder`'s DNI under other names. The typed
    DNI is kept on the pair, for the reviewer: the new person goes without it."""
    if holder is None:
        return {}
    candidate = candidate_record(
        person_a=person,
        person_b=holder,
        score=0.5,
        reasons=[
            "inscripción de escuela con el DNI de una persona registrada con otros nombres"
            f" (DNI escrito: {dni}); la nueva persona quedó sin DNI hasta la revisión"
        ],
    )
    return {"dni_holder_pair": candidate.pk if candidate else None}
