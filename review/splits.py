"""Suspected wrong links: one person whose records carry two DNIs that cannot both be theirs.

Two valid DNIs that are not one typo apart (one wrong digit or two adjacent digits swapped)
almost always mean that two people were linked into one. Such a person is queued
(`SplitCandidate`); the reviewer keeps the person together or splits off the records of one
DNI, with their enrollments, into a new person. A split is audited and undone by merging the
two persons back (`person_merge`), which is itself reversible.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Enrollment, SourceRecord
from participants.changes import counted_data_changed
from participants.documents import DocumentType
from participants.identity.survivorship import most_frequent
from participants.linkage.clustering import dni_typo_apart
from participants.models import Decision, IdentityRecord, Person, PersonStatus, SplitCandidate
from participants.record_frames.merged_persons import members_of
from participants.services import person_build

OPEN = (Decision.PENDING, Decision.SKIPPED)


class SplitError(Exception):
    """A split that cannot be made; the message says why (in Spanish)."""


def conflicting_dnis(dnis: Iterable[str]) -> bool:
    """Whether some two of the DNIs are neither equal nor one typo apart."""
    values = sorted(set(dnis))
    return any(not dni_typo_apart(a, b) for i, a in enumerate(values) for b in values[i + 1 :])


def _person_dnis(person_ids: Iterable[int]) -> dict[int, list[str]]:
    """Active person -> the valid DNIs of all of its records and of persons merged into it,
    less the DNIs an administrator corrected (unless one is the person's DNI again)."""
    members = members_of(person_ids)
    dnis: dict[int, set[str]] = {}
    corrected: dict[int, set[str]] = {}
    for pk, number in (
        IdentityRecord.objects.filter(person_id__in=list(members))
        .exclude(replaces_dni="")
        .values_list("person_id", "replaces_dni")
    ):
        corrected.setdefault(members[pk], set()).add(number)
    current = dict(
        Person.objects.filter(pk__in=set(members.values()), document_type=DocumentType.DNI)
        .exclude(document_number="")
        .values_list("pk", "document_number")
    )
    for pk, number in (
        Person.objects.filter(pk__in=list(members), document_type=DocumentType.DNI)
        .exclude(document_number="")
        .values_list("pk", "document_number")
    ):
        dnis.setdefault(members[pk], set()).add(number)
    for pk, number in (
        IdentityRecord.objects.filter(person_id__in=list(members))
        .exclude(dni="")
        .values_list("person_id", "dni")
    ):
        dnis.setdefault(members[pk], set()).add(number)
    for pk, wrong in corrected.items():
        dnis[pk] = dnis.get(pk, set()) - (wrong - {current.get(pk, "")})
    return {pk: sorted(values) for pk, values in dnis.items() if values}


def _refuse_held_dnis(person: Person, dnis: list[str]) -> None:
    """SplitError if another active person holds one of the DNIs the split would assign.

    One active person per DNI (`person_one_active_per_document`): the records of a DNI that
    someone else already holds are probably that person's, which a split cannot decide. The
    message names the persons by code only: the reviewer sees the DNIs on the page, and a
    message may travel further (a screenshot, a ticket).
    """
    holders = (
        Person.objects.filter(
            status=PersonStatus.ACTIVE,
            document_type=DocumentType.DNI,
            document_number__in=dnis,
        )
        .exclude(pk=person.pk)
        .order_by("code")
    )
    codes = list(holders.values_list("code", flat=True))
    if not codes:
        return
    others = " y ".join(codes)
    holds = "ya tiene como DNI uno" if len(codes) == 1 else "ya tienen como DNI los"
    pair = "el par" if len(codes) == 1 else "los pares de"
    raise SplitError(
        f"No se separó nada: {others} {holds} de los que esta separación asignaría, y dos "
        f"personas activas no pueden tener el mismo DNI. Revise primero {pair} "
        f"{person.code} y {others} en la cola de posibles duplicados: si esos registros son "
        f"de {others}, fusione las personas (la fusión puede deshacerse) y revise después la "
        "separación de la persona que queda; si no lo son, corrija el DNI de la persona que "
        "no corresponde y vuelva a esta separación."
    )


def split_suspects_queue(person_ids: Iterable[int]) -> list[SplitCandidate]:
    """Queue each of the persons whose records carry conflicting DNIs, once.

    A reviewer's "keep together" is remembered: the person is asked about again only when a
    DNI appears that the decision did not cover.
    """
    active = list(
        Person.objects.filter(pk__in=set(person_ids), status=PersonStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    queued = []
    for pk, dnis in _person_dnis(active).items():
        if not conflicting_dnis(dnis):
            continue
        known = SplitCandidate.objects.filter(person_id=pk)
        if known.filter(decision__in=OPEN).exists():
            continue
        if any(set(dnis) <= set(kept.dnis) for kept in known.filter(decision=Decision.SAME)):
            continue
        queued.append(
            SplitCandidate.objects.create(
                person_id=pk,
                dnis=dnis,
                reasons=[f"sus registros muestran {len(dnis)} DNI distintos: {', '.join(dnis)}"],
            )
        )
    return queued


@transaction.atomic
def split_keep(*, candidate: SplitCandidate, actor: User | None) -> SplitCandidate:
    candidate = SplitCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.decision not in OPEN:
        raise SplitError("Esta persona ya fue revisada.")
    candidate.decision = Decision.SAME
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["decision", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.REVIEW_DECISION,
        obj=candidate.person,
        details={"split_candidate": candidate.pk, "decision": "keep_together"},
    )
    return candidate


@transaction.atomic
def person_split(*, candidate: SplitCandidate, dni: str, actor: User | None) -> Person:
    """Move the records showing `dni`, and the enrollments of their roster rows, to a new
    person; returns it. The original person keeps everything else."""
    counted_data_changed()
    candidate = SplitCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.decision not in OPEN:
        raise SplitError("Esta persona ya fue revisada.")
    person = Person.objects.select_for_update().get(pk=candidate.person_id)
    if person.status != PersonStatus.ACTIVE:
        raise SplitError(f"{person.code} ya no está activa: fue fusionada o cancelada.")
    members = members_of([person.pk])
    moving = list(
        IdentityRecord.objects.filter(person_id__in=list(members), dni=dni).order_by(
            "created_at", "id"
        )
    )
    if not moving:
        raise SplitError(f"Ningún registro de {person.code} muestra el DNI {dni}.")
    remaining = list(
        IdentityRecord.objects.filter(person_id__in=list(members))
        .exclude(dni=dni)
        .exclude(dni="")
        .values_list("dni", flat=True)
    )
    if not remaining:
        raise SplitError(f"El DNI {dni} es el único DNI de {person.code}: no hay qué separar.")
    # The original keeps the DNI most of its other records show if it showed this one.
    kept_dni = most_frequent(remaining) if person.document_number == dni else None
    _refuse_held_dnis(person, [dni, *([kept_dni] if kept_dni else [])])

    latest = moving[-1]
    new_person = person_build(
        given_names=latest.given_names,
        paternal_surname=latest.paternal_surname,
        maternal_surname=latest.maternal_surname,
        sex=most_frequent([r.sex for r in moving]) or "U",
        document_number="",
        birth_date=most_frequent([r.birth_date for r in moving]),
        email=most_frequent([r.email for r in moving]) or "",
        phone=most_frequent([r.phone for r in moving]) or "",
    )
    new_person.save()
    try:
        # A savepoint: a DNI another transaction gave someone since the check above fails
        # here, and the SplitError then rolls the whole split back.
        with transaction.atomic():
            if kept_dni:
                person.document_number = kept_dni
                person.save(update_fields=["document_number", "updated_at"])
            new_person.document_number = dni
            new_person.save(update_fields=["document_number", "updated_at"])
    except IntegrityError as error:
        _refuse_held_dnis(person, [dni, *([kept_dni] if kept_dni else [])])
        # The text of the error names the DNI: it is not shown.
        raise SplitError(
            f"No se separó nada: otra persona activa acaba de registrar uno de los DNI de "
            f"{person.code}. Vuelva a abrir esta separación y revísela de nuevo."
        ) from error

    moved_records = [record.pk for record in moving]
    IdentityRecord.objects.filter(pk__in=moved_records).update(person=new_person)
    # The enrollments those roster rows made, unless rows of the other DNI share them.
    rows = list(
        SourceRecord.objects.filter(identity_record__in=moved_records).values_list("pk", flat=True)
    )
    enrollment_ids = set(
        Enrollment.objects.filter(source_records__in=rows, person_id__in=list(members)).values_list(
            "pk", flat=True
        )
    )
    shared = set(
        IdentityRecord.objects.filter(
            person_id__in=list(members), source_record__enrollment_id__in=enrollment_ids
        ).values_list("source_record__enrollment_id", flat=True)
    )
    moved_enrollments = sorted(enrollment_ids - shared)
    Enrollment.objects.filter(pk__in=moved_enrollments).update(person=new_person)
    # The rows follow too, as a merge moves them: the new person's page lists its rows.
    SourceRecord.objects.filter(pk__in=rows, person_id__in=list(members)).update(person=new_person)

    candidate.decision = Decision.DIFFERENT
    candidate.split_into = new_person
    candidate.decided_by = actor
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["decision", "split_into", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditAction.SPLIT,
        obj=person,
        details={
            "split_candidate": candidate.pk,
            "new_person": new_person.code,
            "identity_records": moved_records,
            "enrollments": moved_enrollments,
        },
    )
    return new_person
