"""Writes behind the school pages: cohorts, registrations (with consent) and scores.

Preventing double counting: when the DNI typed already belongs to a person in the registry
(registered by any school), the registration enrolls *that* person in the cohort instead of
creating a second one. To stop a school from attaching strangers by trying DNIs, the typed
paternal surname and first given name must agree (same phonetic key) with the registered
person. Otherwise, for school staff, the registration goes on as any new one: a new person
without the DNI (which belongs to the registered person), queued for review with the DNI's
holder and the typed DNI on the pair, so that the answer cannot tell a school whether a DNI
is registered under other names; a registry administrator is refused instead, and the
attempt is audited. The existing person's
data is never overwritten from a school form; corrections go through the administrator
(a rectification request).

Without a DNI the registry knows (or with one it has never seen), the typed values go
through the import's linkage engine (`intake.registration.matching`): at or above the
auto-link threshold the registration stops with a warning (`RegistrationNeedsConfirmation`)
and the user either enrolls the existing person - one they see - or confirms a new one; a
new person the engine finds close to someone (a confirmed one, or one between the review
and auto-link thresholds) is created and queued, with the engine's reasons and model
version, as a possible duplicate for the registry administrator. A registration never links
on its own to a person the school does not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.access import can_manage_cohort, is_registry_admin, is_school_staff, user_school
from accounts.consent import CONSENT_TEXTS, CURRENT_CONSENT_VERSION, consent_sha256
from accounts.models import Consent
from assessments.models import Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.models import Cohort, Course, Enrollment, School
from intake.registration.matching import (
    RegistrationMatches,
    RegistrationScores,
    person_candidate_for,
    registration_matches_as_seen,
    registration_scores,
)
from participants.changes import counted_data_changed
from participants.documents import DocumentType
from participants.identity.records import IdentityValues, identity_record_add
from participants.models import Institution, Person, PersonStatus, RecordSource, Region, Role, Sex
from participants.phonetic import name_keys
from participants.services import person_build, person_create
from review.services import candidate_record


class RegistrationRefused(Exception):
    """A registration that must not happen; the message is safe to show to the school."""


class RegistrationNeedsConfirmation(Exception):
    """The person seems registered already: the user chooses before anything is written.

    `matches` is what the user may see of the candidates (never another school's data).
    """

    def __init__(self, matches: RegistrationMatches) -> None:
        super().__init__("The person seems to be registered already.")
        self.matches = matches


@dataclass(frozen=True)
class RegistrationResult:
    enrollment: Enrollment
    person: Person
    existing_person: bool


@transaction.atomic
def cohort_create(
    *,
    actor: Any,
    course: Course,
    label: str,
    start_date: date | None = None,
    end_date: date | None = None,
    region: Region | None = None,
    modality: str = "in_person",
    school: School | None = None,
    request: HttpRequest | None = None,
) -> Cohort:
    """A cohort; school staff always create it for their own school."""
    if is_school_staff(actor):
        school = user_school(actor)
    elif not actor.has_perm("courses.add_cohort"):
        raise PermissionDenied
    cohort = Cohort(
        course=course,
        label=label.strip(),
        start_date=start_date,
        end_date=end_date,
        region=region,
        modality=modality,
        school=school,
    )
    cohort.full_clean()
    cohort.save()
    audit_record(
        actor=actor,
        action=AuditAction.COHORT_CREATE,
        obj=cohort,
        details={"school": getattr(school, "acronym", None), "course": course.pk},
        request=request,
    )
    return cohort


def participant_register(
    *,
    actor: Any,
    cohort: Cohort,
    given_names: str,
    paternal_surname: str,
    maternal_surname: str = "",
    sex: str = Sex.NOT_RECORDED,
    dni: str = "",
    email: str = "",
    phone: str = "",
    institution: Institution | None = None,
    role: Role | None = None,
    region: Region | None = None,
    consent_version: str = CURRENT_CONSENT_VERSION,
    birth_date: date | None = None,
    existing_person_code: str = "",
    confirmed_new: bool = False,
    request: HttpRequest | None = None,
) -> RegistrationResult:
    """Enroll a participant in `cohort`, creating the person only if they are new.

    A DNI the registry knows enrolls its person. Otherwise, when the linkage engine finds
    the typed values at or above the auto-link threshold for someone, RegistrationNeedsConfirmation
    is raised unless the user chose that person (`existing_person_code`, one they see and
    that the engine still proposes) or confirmed a different one (`confirmed_new`).

    Raises PermissionDenied for a cohort outside the user's school, ValidationError for bad
    values and RegistrationRefused for a DNI registered under other names, a chosen person
    that is not a candidate the user sees, or a person already in the cohort.
    """
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if consent_version not in CONSENT_TEXTS:
        raise ValidationError({"consent": "Versión de consentimiento desconocida."})
    try:
        return _register(
            actor=actor,
            cohort=cohort,
            fields={
                "given_names": given_names,
                "paternal_surname": paternal_surname,
                "maternal_surname": maternal_surname,
                "sex": sex,
                "document_type": DocumentType.DNI,
                "document_number": dni,
                "email": email,
                "phone": phone,
                "birth_date": birth_date,
            },
            institution=institution,
            role=role,
            region=region,
            consent_version=consent_version,
            existing_person_code=existing_person_code.strip(),
            confirmed_new=confirmed_new,
            request=request,
        )
    except _DniNameMismatch as refusal:
        # Recorded after the rollback of the registration so that the trace survives it.
        audit_record(
            actor=actor,
            action=AuditAction.PERMISSION_DENIED,
            obj=refusal.person,
            details={"reason": "dni_registered_under_other_names", "cohort": cohort.pk},
            request=request,
        )
        raise RegistrationRefused(DNI_NAMES_REFUSED) from None


# Says what to check, not what the registry holds: never that the DNI is registered, nor
# under which names.
DNI_NAMES_REFUSED = (
    "No se pudo registrar a la persona con estos datos. Verifique que el DNI y los nombres "
    "sean los del documento o comuníquese con el administrador del registro."
)


class _DniNameMismatch(Exception):
    def __init__(self, person: Person) -> None:
        super().__init__("DNI registered under other names")
        self.person = person


def _names_agree(person: Person, given_names: str, paternal_surname: str) -> bool:
    keys = name_keys(
        given_names=given_names, paternal_surname=paternal_surname, maternal_surname=""
    )
    return (keys["paternal_key"], keys["given_key"]) == (person.paternal_key, person.given_key)


@transaction.atomic
def _register(
    *,
    actor: Any,
    cohort: Cohort,
    fields: dict[str, Any],
    institution: Institution | None,
    role: Role | None,
    region: Region | None,
    consent_version: str,
    existing_person_code: str,
    confirmed_new: bool,
    request: HttpRequest | None,
) -> RegistrationResult:
    counted_data_changed()
    dni = fields["document_number"]
    person = None
    if dni:
        # Locks the row so that a concurrent merge or cancellation waits for this enrollment.
        person = (
            Person.objects.select_for_update()
            .filter(status=PersonStatus.ACTIVE, document_type=DocumentType.DNI, document_number=dni)
            .first()
        )
    scores = RegistrationScores()
    holder = None  # the registered person whose DNI a school typed under other names
    if person is not None:
        if not _names_agree(person, fields["given_names"], fields["paternal_surname"]):
            if is_registry_admin(actor):
                raise _DniNameMismatch(person)
            # As the import does for school staff: a new person, without the DNI (it
            # belongs to the registered one), queued for review with its holder. Answered
            # as any new registration is, so that a school cannot learn from the answer
            # whether a DNI is registered under other names.
            holder, person = person, None
            fields = {**fields, "document_number": ""}
    else:
        scores = _scores_of(fields)
        person = _chosen_or_none(
            actor=actor, scores=scores, code=existing_person_code, confirmed_new=confirmed_new
        )
    existing = person is not None
    if person is not None:
        if Enrollment.objects.filter(person=person, cohort=cohort).exists():
            raise RegistrationRefused(
                f"Esta persona ya está inscrita en esta cohorte (código {person.code})."
            )
    else:
        try:
            with transaction.atomic():
                person = person_create(**fields)
        except IntegrityError:
            # Another registration created the same DNI a moment ago.
            raise RegistrationRefused(
                "Otra persona acaba de registrar este DNI. Vuelva a intentarlo."
            ) from None
        audit_record(
            actor=actor,
            action=AuditAction.PERSON_CREATE,
            obj=person,
            details={
                "cohort": cohort.pk,
                **_possible_duplicates_queue(
                    person=person, scores=scores, confirmed_new=confirmed_new
                ),
                **_dni_holder_queue(person=person, holder=holder, dni=dni),
            },
            request=request,
        )

    enrollment = Enrollment(
        person=person,
        cohort=cohort,
        institution=institution,
        institution_text=institution.name if institution else "",
        role=role,
        role_text=role.name if role else "",
        region=region,
        region_text=region.name if region else "",
    )
    enrollment.full_clean()
    enrollment.save()
    # What the school typed is one more description of the person, for every later match.
    identity_record_add(
        person=person,
        source=RecordSource.REGISTRATION,
        values=IdentityValues(
            **{
                **IdentityValues.of_person(person_build(**fields)).__dict__,
                "institution": enrollment.institution_text,
                "role": enrollment.role_text,
                "region": enrollment.region_text,
            }
        ),
        actor=actor,
    )
    Consent.objects.create(
        person=person,
        cohort=cohort,
        school=cohort.school,
        given_at=timezone.now(),
        text_version=consent_version,
        text_sha256=consent_sha256(consent_version),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.ENROLLMENT_CREATE,
        obj=person,
        details={
            "cohort": cohort.pk,
            "enrollment": enrollment.pk,
            "existing_person": existing,
            "consent_version": consent_version,
            **_chosen_match_details(person=person, scores=scores, existing=existing),
        },
        request=request,
    )
    return RegistrationResult(enrollment=enrollment, person=person, existing_person=existing)


def _scores_of(fields: dict[str, Any]) -> RegistrationScores:
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


def _chosen_or_none(
    *, actor: Any, scores: RegistrationScores, code: str, confirmed_new: bool
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
    if scores.likely_registered and not confirmed_new:
        raise RegistrationNeedsConfirmation(registration_matches_as_seen(user=actor, scores=scores))
    return None


def _dni_holder_queue(*, person: Person, holder: Person | None, dni: str) -> dict[str, Any]:
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


def _possible_duplicates_queue(
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
            f"p={scored.probability:.3f}: {scored.reasons}"
        )
        if confirmed_new and likely:
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


def _chosen_match_details(
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


@transaction.atomic
def scores_enter(
    *,
    actor: Any,
    enrollment: Enrollment,
    phase: str,
    raw_score: Decimal | None,
    scale_max: Decimal,
    request: HttpRequest | None = None,
) -> Score | None:
    """Set (or, with raw_score None, leave alone) one pre/post score; audited when changed."""
    counted_data_changed()
    if not can_manage_cohort(actor, enrollment.cohort):
        raise PermissionDenied
    if raw_score is None:
        return None
    score = Score.objects.filter(enrollment=enrollment, phase=phase).first()
    before = None if score is None else [str(score.raw_score), str(score.scale_max)]
    if score is None:
        score = Score(enrollment=enrollment, phase=phase)
    elif score.raw_score == raw_score and score.scale_max == scale_max:
        return score
    score.raw_score = raw_score
    score.scale_max = scale_max
    score.percent = Decimal(0)  # recomputed by Score.save from the two values above
    score.full_clean()
    score.save()
    audit_record(
        actor=actor,
        action=AuditAction.SCORE_EDIT,
        obj=enrollment.person,
        details={
            "cohort": enrollment.cohort_id,
            "phase": phase,
            "score": [before, [str(raw_score), str(scale_max)]],
        },
        request=request,
    )
    return score


@transaction.atomic
def cohort_scores_enter(
    *,
    actor: Any,
    entries: list[tuple[Enrollment, str, Decimal]],
    scale_max: Decimal,
    request: HttpRequest | None = None,
) -> int:
    """Several scores at once (the cohort's score sheet): all saved, or none."""
    for enrollment, phase, raw_score in entries:
        scores_enter(
            actor=actor,
            enrollment=enrollment,
            phase=phase,
            raw_score=raw_score,
            scale_max=scale_max,
            request=request,
        )
    return len(entries)
