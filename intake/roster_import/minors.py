"""A roster's minors: flagged, and a child under 14 without a guardian's consent held.

Run by planning, which knows the cohort: the age that counts is the age at the training
(`courses.minors`), read from the row's birth date, else its stated age ("Edad") or minority
("Menor de edad"). Only the row's own cells count, never what the registry holds of the
person it may link to: a school's preview must not learn from a refusal what the registry
knows of someone.

Below 14, Ley 29733's regulation asks for the parents' or guardian's consent: the row needs
the guardian's name, relationship and a "sí" in the consent column. Without them it is
held: rejected like any other row that cannot be imported (the rest of the file imports as
usual with "importar igualmente las filas válidas"), and nothing of it is written, not even
its cells (`StagedRow.held_minor`). With them, committing writes the guardian consent
(accounts.guardian_consent), dated by the "Fecha del consentimiento" column or, without one,
at the import: when the registry learnt of it. A stated minority without an age is flagged
but not held: nothing says the person is under 14 (the courses take minors from 14), and the
flag asks for the birth date.
"""

from __future__ import annotations

from datetime import date

from accounts.models import GuardianRelationship
from courses.minors import age_on, minor_status
from intake.roster_import.staging import StagedRow

# How the message names the guardian columns a file lacks: their usual headers.
GUARDIAN_COLUMNS_HINT = "columnas «Apoderado», «Parentesco» y «Consentimiento del apoderado»"


def minors_check(rows: list[StagedRow], *, on: date, at: str, columns: dict[str, str]) -> None:
    """Flag each minor's row and hold a child's under 14 without a guardian's consent.

    `on`: the training's date; `at`: how messages name it ("al inicio del curso");
    `columns`: canonical field -> "Header (letter)", for the messages.
    """
    for row in rows:
        if not row.rejected:
            _check_one(row, on=on, at=at, columns=columns)


def _check_one(row: StagedRow, *, on: date, at: str, columns: dict[str, str]) -> None:
    status = minor_status(
        birth_date=row.birth_date,
        age_stated=row.age_stated,
        minor_stated=row.minor_stated,
        on=on,
    )
    evidence = "birth_date" if row.birth_date is not None else "age_stated"
    if row.birth_date is not None and row.age_stated is not None:
        age = age_on(row.birth_date, on)
        if abs(age - row.age_stated) > 1:
            row.flag(
                columns["age_stated"],
                f"edad {row.age_stated} no coincide con la fecha de nacimiento ({age} {at}); "
                "se usa la fecha de nacimiento",
            )
    if status.age is None and status.minor:
        evidence = "minor_stated"
    given = row.guardian_consent is True and bool(row.guardian_name and row.guardian_relationship)
    row.minor_label = status.label
    known_adult = status.age is not None and not status.minor
    if status.under_14 and not given:
        row.held_minor = True
        row.rejected = (
            f"columna {columns[evidence]}: {status.describe(at=at)} sin consentimiento "
            f"registrado de su madre, padre o apoderado ({_missing(row)}); la fila no se "
            "importa"
        )
        return
    if status.minor:
        note = status.describe(at=at)
        if status.age is None:
            note += (
                " (edad no indicada: si tiene menos de 14 años necesita el consentimiento "
                "de su madre, padre o apoderado; indique la fecha de nacimiento)"
            )
        row.flag(columns[evidence], note)
    if given and known_adult:
        row.flag(
            columns["guardian_consent"],
            f"mayor de edad ({status.age} {at}): no se registra el consentimiento del apoderado",
        )
    elif given:
        relationship = GuardianRelationship(row.guardian_relationship).label
        row.guardian_consent_kept = True
        row.flag(
            columns["guardian_consent"],
            f"consentimiento del apoderado registrado ({row.guardian_name}, {relationship})",
        )


def _missing(row: StagedRow) -> str:
    """What of the guardian's consent the row lacks, in the file's terms."""
    if row.guardian_consent is False:
        return "el consentimiento del apoderado dice «no»"
    lacking = [
        label
        for label, present in (
            ("el nombre del apoderado", bool(row.guardian_name)),
            ("el parentesco", bool(row.guardian_relationship)),
            ("el «sí» del consentimiento del apoderado", row.guardian_consent is True),
        )
        if not present
    ]
    if len(lacking) == 3:
        return f"faltan las {GUARDIAN_COLUMNS_HINT}"
    return "falta " + " y ".join(lacking)
