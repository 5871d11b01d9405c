"""The services of a survey wave: create it, draw its sample, replace a member who did not
respond. Every step is written to the audit log (ids and counts, never a name).

Who can be drawn: a person of the population who is active (not cancelled), 18 or older by
their birth date, agrees today to be contacted (`accounts.contact_consent`) and has a usable
e-mail or phone (`followup.contacts`). The others are left out and counted, each under the
first of these reasons that applies, so the wave says how many it could not reach and why.
A person with no birth date is not taken for a minor: the registry trains public officials,
and leaving out everyone whose roster had no birth date would bias the sample more than the
rare minor (school staff register adults); a later rule may say otherwise.
"""

from __future__ import annotations

import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access.sensitive import sees_every_sensitive
from accounts.contact_consent import persons_consenting
from accounts.minors import minors_without_follow_up_consent
from audit.models import AuditAction
from audit.services import COMMAND_LINE, audit_record
from courses.minors import ADULT_AGE
from courses.participation_filters import FilterError
from followup.contacts import latest_contacts
from followup.models import (
    STRATUM_DIMENSIONS,
    Allocation,
    MemberStatus,
    SurveyWave,
    WaveMember,
    WaveStatus,
    WaveStratum,
)
from followup.population import (
    PopulationPerson,
    WavePopulation,
    population_persons,
    stratum_key,
    stratum_labels,
)
from followup.sampling import SamplingError, allocate, sample_size_for_margin, stratum_orders
from participants.changes import counted_data_changed
from participants.models import Person, PersonStatus

# The reasons a person of the population is left out, in the order they are checked.
EXCLUSION_REASONS = ("cancelled", "minor", "no_consent", "no_contact")
REASON_LABELS = {
    "cancelled": "Datos cancelados a su pedido",
    "minor": f"Menor de {ADULT_AGE} años",
    "no_consent": "Sin consentimiento de contacto",
    "no_contact": "Sin correo ni teléfono utilizable",
}
# numpy's generators take seeds from 0 up; a BigIntegerField holds up to 2**63 - 1.
SEED_LIMIT = 2**63
# Candidates checked at once when a replacement is looked for in a stratum's reserve.
_REPLACEMENT_BATCH = 50


class WaveError(ValueError):
    """A wave step that cannot be done; the message says why, in Spanish."""


def seed_random() -> int:
    """A fresh seed for a new wave (shown on the form, so it can be written down)."""
    return secrets.randbelow(2**31)


def token_new() -> str:
    """A member's token: 20 hexadecimal characters, which every survey tool accepts."""
    return secrets.token_hex(10)


@dataclass(frozen=True)
class _Candidate:
    person_id: int
    status: str
    birth_date: date | None


def exclusion_reasons(
    candidates: Iterable[_Candidate | PopulationPerson], *, today: date
) -> dict[int, str]:
    """The reason each person who cannot be drawn is left out (absent: can be drawn)."""
    rows = list(candidates)
    reasons: dict[int, str] = {}
    for row in rows:
        if row.status != PersonStatus.ACTIVE:
            reasons[row.person_id] = "cancelled"
    # Minors (by birth date, or by the age a roster stated) only with their guardian's
    # consent to follow-up contact: accounts.minors answers it for the whole registry.
    minors = minors_without_follow_up_consent(
        [row.person_id for row in rows if row.person_id not in reasons], on=today
    )
    for pk in minors:
        reasons[pk] = "minor"
    rest = [row.person_id for row in rows if row.person_id not in reasons]
    consenting = persons_consenting(rest)
    for pk in rest:
        if pk not in consenting:
            reasons[pk] = "no_consent"
    contacts = latest_contacts([pk for pk in rest if pk not in reasons])
    for pk in rest:
        if pk not in reasons and not (pk in contacts and contacts[pk].usable):
            reasons[pk] = "no_contact"
    return reasons


def _dimensions(strata: Iterable[str]) -> list[str]:
    chosen = set(strata)
    unknown = chosen - set(STRATUM_DIMENSIONS)
    if unknown:
        raise WaveError(
            f"No se puede estratificar por {', '.join(sorted(unknown))}; "
            f"use {', '.join(STRATUM_DIMENSIONS)}."
        )
    return [dimension for dimension in STRATUM_DIMENSIONS if dimension in chosen]


@transaction.atomic
def wave_create(
    *,
    name: str,
    purpose: str,
    population: WavePopulation | dict[str, Any],
    strata: Iterable[str],
    allocation: str,
    actor: User,
    seed: int,
    sample_size: int | None = None,
    margin_of_error: float | None = None,
    confidence: float = 0.95,
    min_per_stratum: int = 2,
    anticipated_proportion: float = 0.5,
    stratum_sd: dict[str, float] | None = None,
) -> SurveyWave:
    """A new wave in draft: its population and design, nothing drawn yet."""
    if isinstance(population, dict):
        try:
            population = WavePopulation.from_params(population)
        except FilterError as error:
            raise WaveError(str(error)) from error
    if allocation not in Allocation.values:
        raise WaveError(f"'{allocation}' no es una asignación; use {', '.join(Allocation.values)}.")
    if (sample_size is None) == (margin_of_error is None):
        raise WaveError("Indique el tamaño de la muestra o el margen de error, uno de los dos.")
    if sample_size is not None and sample_size < 1:
        raise WaveError("El tamaño de la muestra debe ser al menos 1.")
    if margin_of_error is not None and not 0 < margin_of_error < 1:
        raise WaveError("El margen de error es una proporción entre 0 y 1 (p. ej. 0.05 para ±5 %).")
    if not 0 < confidence < 1:
        raise WaveError("El nivel de confianza es una proporción entre 0 y 1 (p. ej. 0.95).")
    if not 0 <= seed < SEED_LIMIT:
        raise WaveError(f"La semilla debe ser un entero entre 0 y {SEED_LIMIT - 1}.")
    if not name.strip() or not purpose.strip():
        raise WaveError("La ola necesita un nombre y un propósito.")
    if population.targets_sensitive and not sees_every_sensitive(actor):
        raise WaveError(
            "La población nombra un curso o indicador de participación reservada: solo quien "
            "tiene permiso para ver esas participaciones puede crear esta ola."
        )
    if SurveyWave.objects.filter(name=name.strip()).exists():
        raise WaveError(f"Ya existe una ola llamada «{name.strip()}».")
    wave = SurveyWave.objects.create(
        name=name.strip(),
        purpose=purpose.strip(),
        population=population.as_params(),
        strata=_dimensions(strata),
        allocation=allocation,
        sample_size=sample_size,
        margin_of_error=margin_of_error,
        confidence=confidence,
        min_per_stratum=min_per_stratum,
        anticipated_proportion=anticipated_proportion,
        stratum_sd=stratum_sd or {},
        seed=seed,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.SURVEY_SAMPLE,
        obj=wave,
        details={"step": "create", "population": wave.population, "strata": wave.strata},
    )
    return wave


@dataclass
class _Stratum:
    population: int = 0
    eligible: list[int] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)


def wave_draw(wave: SurveyWave, *, actor: User | None, today: date | None = None) -> SurveyWave:
    """Draw the wave's sample: its strata with their counts, and its members with tokens.

    The same data and the same seed give the same members (see `followup.sampling`).
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        wave = SurveyWave.objects.select_for_update().get(pk=wave.pk)
        if wave.status != WaveStatus.DRAFT:
            raise WaveError(f"La muestra de la ola «{wave.name}» ya fue extraída.")
        try:
            population = WavePopulation.from_params(wave.population)
        except FilterError as error:
            raise WaveError(str(error)) from error
        persons = population_persons(population)
        if not persons:
            raise WaveError(
                "La población de la ola está vacía: ningún registro cumple los filtros."
            )
        reasons = exclusion_reasons(persons, today=today)
        strata: dict[str, _Stratum] = defaultdict(_Stratum)
        for person in persons:
            stratum = strata[stratum_key(person, wave.strata)]
            stratum.population += 1
            reason = reasons.get(person.person_id)
            if reason is None:
                stratum.eligible.append(person.person_id)
            else:
                stratum.excluded[reason] += 1
        eligible = {key: len(s.eligible) for key, s in strata.items()}
        total_eligible = sum(eligible.values())
        if total_eligible == 0:
            raise WaveError(
                "Nadie de la población puede ser contactado (sin consentimiento o sin contacto): "
                "no hay muestra que extraer."
            )
        try:
            size = wave.sample_size or sample_size_for_margin(
                margin=wave.margin_of_error or 0,
                population=total_eligible,
                confidence=wave.confidence,
                p=wave.anticipated_proportion,
            )
            allocation = allocate(
                eligible,
                size,
                wave.allocation,
                minimum=wave.min_per_stratum,
                sds=wave.stratum_sd,
                p=wave.anticipated_proportion,
            )
        except SamplingError as error:
            raise WaveError(str(error)) from error
        orders = stratum_orders({key: s.eligible for key, s in strata.items()}, wave.seed)
        labels = stratum_labels(sorted(strata))
        order = 0
        members: list[WaveMember] = []
        for key in sorted(strata):
            stratum = strata[key]
            chosen = orders[key][: allocation[key]]
            row = WaveStratum.objects.create(
                wave=wave,
                key=key,
                label=labels[key],
                population=stratum.population,
                eligible=eligible[key],
                excluded={reason: stratum.excluded[reason] for reason in EXCLUSION_REASONS},
                allocated=allocation[key],
                reserve=orders[key][allocation[key] :],
            )
            for person_id in chosen:
                order += 1
                members.append(
                    WaveMember(
                        wave=wave,
                        person_id=person_id,
                        stratum=row,
                        token=token_new(),
                        draw_order=order,
                    )
                )
        WaveMember.objects.bulk_create(members)
        wave.status = WaveStatus.DRAWN
        wave.drawn_at = timezone.now()
        wave.save(update_fields=["status", "drawn_at"])
        excluded_total = Counter(reasons.values())
        audit_record(
            actor=actor,
            actor_username=COMMAND_LINE,
            action=AuditAction.SURVEY_SAMPLE,
            obj=wave,
            details={
                "step": "draw",
                "seed": wave.seed,
                "population": len(persons),
                "eligible": total_eligible,
                "excluded": {reason: excluded_total[reason] for reason in EXCLUSION_REASONS},
                "strata": len(strata),
                "drawn": len(members),
            },
        )
    return wave


def wave_replace(
    member: WaveMember, *, actor: User | None, today: date | None = None
) -> WaveMember:
    """Record that `member` did not respond (or withdrew consent) and draw their replacement
    from the same stratum.

    The replacement is the first person of the stratum's reserve (the draw's random order)
    who can still be drawn today; reserve entries who no longer can are passed over and
    dropped. Refused, changing nothing, when nobody is left.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        # A non-response changes the weights, so the reports' survey estimates.
        counted_data_changed()
        member = (
            WaveMember.objects.select_for_update()
            .select_related("wave", "stratum")
            .get(pk=member.pk)
        )
        stratum = WaveStratum.objects.select_for_update().get(pk=member.stratum_id)
        if member.wave.status != WaveStatus.DRAWN:
            raise WaveError("Solo se reemplaza en una ola con la muestra extraída y no cerrada.")
        if member.replacements.exists():
            raise WaveError(f"El integrante {member.token} ya fue reemplazado.")
        if member.status == MemberStatus.RESPONDED:
            raise WaveError(f"El integrante {member.token} respondió: no se reemplaza.")
        in_wave = set(
            WaveMember.objects.filter(wave_id=member.wave_id).values_list("person_id", flat=True)
        )
        reserve = [pk for pk in stratum.reserve if pk not in in_wave]
        chosen: int | None = None
        passed = 0
        while reserve and chosen is None:
            batch, reserve = reserve[:_REPLACEMENT_BATCH], reserve[_REPLACEMENT_BATCH:]
            candidates = [
                _Candidate(pk, status, birth)
                for pk, status, birth in Person.objects.filter(pk__in=batch).values_list(
                    "pk", "status", "birth_date"
                )
            ]
            found = {c.person_id for c in candidates}
            reasons = exclusion_reasons(candidates, today=today)
            for index, pk in enumerate(batch):
                if pk in found and pk not in reasons:
                    chosen = pk
                    reserve = batch[index + 1 :] + reserve
                    break
                passed += 1
        if chosen is None:
            raise WaveError(
                f"No queda nadie en el estrato «{stratum.label}» que pueda reemplazar al "
                f"integrante {member.token}: todos fueron seleccionados o ya no pueden ser "
                "contactados."
            )
        # A member who withdrew consent since the draw is recorded as such, not as a
        # non-response: the estimates treat the two differently.
        withdrew = member.person_id not in persons_consenting([member.person_id])
        member.status = MemberStatus.WITHDRAWN if withdrew else MemberStatus.NON_RESPONSE
        member.save(update_fields=["status"])
        stratum.reserve = reserve
        stratum.save(update_fields=["reserve"])
        last = WaveMember.objects.filter(wave_id=member.wave_id).aggregate(last=Max("draw_order"))[
            "last"
        ]
        replacement = WaveMember.objects.create(
            wave_id=member.wave_id,
            person_id=chosen,
            stratum=stratum,
            token=token_new(),
            draw_order=(last or 0) + 1,
            replacement_for=member,
        )
        audit_record(
            actor=actor,
            actor_username=COMMAND_LINE,
            action=AuditAction.SURVEY_SAMPLE,
            obj=member.wave,
            details={
                "step": "replace",
                "member": member.pk,
                "replacement": replacement.pk,
                "stratum": stratum.key,
                "passed_over": passed,
            },
        )
    return replacement


def wave_is_reserved(wave: SurveyWave) -> bool:
    """A wave whose population names a sensitive course or indicator: its pages and lists
    are for holders of the permission only (being on it says who took such a course)."""
    try:
        return WavePopulation.from_params(wave.population).targets_sensitive
    except FilterError:
        return False


def wave_open_for(user: Any, pk: int) -> SurveyWave:
    """The wave `pk` for a page of `user`: 404 if there is none, 403 when it is reserved
    (its population names a sensitive course) and the user may not see such participations."""
    wave = get_object_or_404(SurveyWave, pk=pk)
    if wave_is_reserved(wave) and not sees_every_sensitive(user):
        raise PermissionDenied
    return wave


def waves_listed_for(user: Any) -> list[SurveyWave]:
    """The waves `user` may open, newest first (reserved ones only for holders)."""
    waves: list[SurveyWave] = list(
        SurveyWave.objects.annotate(member_count=Count("members")).order_by("-created_at")
    )
    if sees_every_sensitive(user):
        return waves
    return [wave for wave in waves if not wave_is_reserved(wave)]
