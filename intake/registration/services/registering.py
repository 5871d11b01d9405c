"""A school's registration of a participant in a cohort, with consent.

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
auto-link threshold - or, from the review threshold on, for someone already in the cohort or
brought by another school - the registration stops with a warning
(`RegistrationNeedsConfirmation`) and the user either chooses the existing person - one they
see: enrolled, or left as she is when she is in the cohort already - or confirms a new one; a
new person the engine finds close to someone (a confirmed one, or one between the review
and auto-link thresholds) is created and queued, with the engine's reasons and model
version, as a possible duplicate for the registry administrator. A registration never links
on its own to a person the school does not see.

This module runs the registration and writes it; the DNI's rule is `dni_holder`, the
engine's candidates `linkage_candidates`, and what a registration answers `outcomes`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.access.user_scope import can_manage_cohort, is_registry_admin
from accounts.consent import (
    CONSENT_TEXTS,
    CONTACT_CONSENT_TEXTS,
    CURRENT_CONSENT_VERSION,
    CURRENT_GUARDIAN_CONSENT_VERSION,
    GUARDIAN_CONSENT_TEXTS,
    consent_sha256,
)
from accounts.contact_consent import contact_consent_record
from accounts.guardian_consent import GuardianStatement, guardian_consent_record
from accounts.models import Consent, ContactConsentSource, GuardianConsentSource
from audit.models import AuditAction
from audit.services import audit_record
from courses.minors import NOT_MINOR, MinorStatus, minor_status, training_date
from courses.models import Cohort, Enrollment
from intake.registration.matching.scoring import RegistrationScores
from intake.registration.services.dni_holder import (
    DNI_NAMES_REFUSED,
    DniNameMismatch,
    dni_holder_queue,
    names_agree,
)
from intake.registration.services.linkage_candidates import (
    chosen_match_details,
    chosen_or_none,
    possible_duplicates_queue,
    scores_of,
)
from intake.registration.services.outcomes import RegistrationRefused, RegistrationResult
from participants.changes import counted_data_changed
from participants.documents import DocumentType
from participants.identity.records import IdentityValues, identity_record_add
from participants.models import Institution, Person, PersonStatus, RecordSource, Region, Role, Sex
from participants.services import person_build, person_create


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
    contact_consent_version: str = "",
    birth_date: date | None = None,
    guardian: GuardianStatement | None = None,
    guardian_consent_version: str = CURRENT_GUARDIAN_CONSENT_VERSION,
    existing_person_code: str = "",
    confirmed_new: bool = False,
    request: HttpRequest | None = None,
) -> RegistrationResult:
    """Enroll a participant in `cohort`, creating the person only if they are new.

    A DNI the registry knows enrolls its person. Otherwise, when the linkage engine finds
    the typed values at or above the auto-link threshold for someone (or above the review
    threshold for someone in this cohort or of another school), RegistrationNeedsConfirmation
    is raised unless the user chose that person (`existing_person_code`, one they see and
    that the engine still proposes) or confirmed a different one (`confirmed_new`). A chosen
    person already in the cohort is answered with `already_enrolled` and nothing written.

    Raises PermissionDenied for a cohort outside the user's school, ValidationError for bad
    values and RegistrationRefused for a DNI registered under other names, a chosen person
    that is not a candidate the user sees, or a person already in the cohort.

    `contact_consent_version`: the version of the follow-up contact text the person
    accepted on the form; "" when they did not tick it (nothing is recorded then).

    `guardian`: the consent of the mother, father or guardian, as the form took it (text
    `guardian_consent_version`). Required for a child under 14 at the training, by the birth
    date typed or, for a registered person, the one the registry holds: without it the
    registration is refused. Recorded, in the same transaction, for any minor.
    """
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied
    if consent_version not in CONSENT_TEXTS:
        raise ValidationError({"consent": "Versión de consentimiento desconocida."})
    if contact_consent_version and contact_consent_version not in CONTACT_CONSENT_TEXTS:
        raise ValidationError(
            {"contact_consent": "Versión desconocida del texto de aceptación de contacto."}
        )
    if guardian is not None and guardian_consent_version not in GUARDIAN_CONSENT_TEXTS:
        raise ValidationError(
            {"guardian_consent": "Versión desconocida del texto del consentimiento del apoderado."}
        )
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
            contact_consent_version=contact_consent_version,
            guardian=guardian,
            guardian_consent_version=guardian_consent_version,
            existing_person_code=existing_person_code.strip(),
            confirmed_new=confirmed_new,
            request=request,
        )
    except DniNameMismatch as refusal:
        # Recorded after the rollback of the registration so that the trace survives it.
        audit_record(
            actor=actor,
            action=AuditAction.PERMISSION_DENIED,
            obj=refusal.person,
            details={"reason": "dni_registered_under_other_names", "cohort": cohort.pk},
            request=request,
        )
        raise RegistrationRefused(DNI_NAMES_REFUSED) from None


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
    contact_consent_version: str,
    guardian: GuardianStatement | None,
    guardian_consent_version: str,
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
        if not names_agree(person, fields["given_names"], fields["paternal_surname"]):
            if is_registry_admin(actor):
                raise DniNameMismatch(person)
            # As the import does for school staff: a new person, without the DNI (it
            # belongs to the registered one), queued for review with its holder. Answered
            # as any new registration is, so that a school cannot learn from the answer
            # whether a DNI is registered under other names.
            holder, person = person, None
            fields = {**fields, "document_number": ""}
    else:
        scores = scores_of(fields)
        person = chosen_or_none(
            actor=actor,
            cohort=cohort,
            scores=scores,
            code=existing_person_code,
            confirmed_new=confirmed_new,
        )
        if person is not None:
            enrolled = Enrollment.objects.filter(person=person, cohort=cohort).first()
            if enrolled is not None:
                # The answer to "es la misma persona" about a row of this cohort: she is
                # registered already, and nothing is to be written (before the minor's
                # check, which speaks of a registration that does not happen).
                return RegistrationResult(
                    enrollment=enrolled, person=person, existing_person=True, already_enrolled=True
                )
    existing = person is not None
    minor = _minor_check(
        cohort=cohort,
        birth_date=fields["birth_date"] or (person.birth_date if person is not None else None),
        guardian=guardian,
    )
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
                **possible_duplicates_queue(
                    person=person, scores=scores, confirmed_new=confirmed_new
                ),
                **dni_holder_queue(person=person, holder=holder, dni=dni),
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
    if contact_consent_version:
        contact_consent_record(
            person=person,
            granted=True,
            source=ContactConsentSource.SCHOOL_FORM,
            given_at=timezone.now(),
            text_version=contact_consent_version,
            actor=actor,
            request=request,
        )
    if guardian is not None and (minor.minor or minor.age is None):
        guardian_consent_record(
            person=person,
            statement=guardian,
            source=GuardianConsentSource.SCHOOL_FORM,
            cohort=cohort,
            text_version=guardian_consent_version,
            actor=actor,
            request=request,
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
            **chosen_match_details(person=person, scores=scores, existing=existing),
        },
        request=request,
    )
    return RegistrationResult(
        enrollment=enrollment, person=person, existing_person=existing, minor=minor
    )


def _minor_check(
    *, cohort: Cohort, birth_date: date | None, guardian: GuardianStatement | None
) -> MinorStatus:
    """The participant's status at the training; refuses a child under 14 without their
    guardian's consent (the form asks first; this holds for every caller)."""
    if birth_date is None:
        return NOT_MINOR
    status = minor_status(birth_date=birth_date, on=training_date(cohort))
    if status.under_14 and guardian is None:
        at = "al inicio del curso" if cohort.start_date else "a la fecha de registro"
        raise RegistrationRefused(
            f"Menor de 14 años ({status.age} {at}): no se puede registrar sin el "
            "consentimiento de su madre, padre o apoderado."
        )
    return status
