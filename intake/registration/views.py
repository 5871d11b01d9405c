"""School pages: thin views over accounts.access (what to show) and the services (writes).

Every cohort is fetched through `cohorts_visible_to`, so another school's cohort id in the
URL is a 404 whether it exists or not (and an audited attempt when it does).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.access.personal_data import persons_as_seen_by
from accounts.access.rows import cohorts_visible_to, denied_access_record, enrollments_visible_to
from accounts.access.user_scope import is_school_staff, user_school
from accounts.consent import CURRENT_GUARDIAN_CONSENT_VERSION
from accounts.guardian_consent import GuardianStatement
from accounts.lookup_limits import HINT, REGISTRATION, LookupLimitReached, lookup_count
from assessments.models import Phase, Score
from audit.models import AuditAction
from audit.services import audit_record
from courses.minors import MinorStatus
from courses.models import Cohort, Enrollment
from intake.registration.forms import CohortForm, MatchQueryForm, RegistrationForm, ScoresForm
from intake.registration.matching.as_seen import RegistrationMatches
from intake.registration.matching.live_hint import registration_candidates
from intake.registration.services.cohorts import cohort_create
from intake.registration.services.outcomes import (
    RegistrationNeedsConfirmation,
    RegistrationRefused,
)
from intake.registration.services.registering import participant_register
from intake.registration.services.score_sheet import cohort_scores_enter

View = Callable[..., HttpResponse]


def enrollment_anchor(code: str) -> str:
    """The id of a participant's row on the cohort page (register.html links to it too)."""
    return f"inscripcion-{code}"


def school_staff_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_school_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _cohort_or_404(request: HttpRequest, pk: Any) -> Cohort:
    cohort = cohorts_visible_to(request.user).select_related("course", "school").filter(pk=pk)
    found = cohort.first()
    if found is None:
        denied_access_record(request, Cohort, pk)
        raise Http404
    return found


@school_staff_required
def cohort_list(request: HttpRequest) -> HttpResponse:
    cohorts = (
        cohorts_visible_to(request.user)
        .select_related("course", "region")
        .order_by("-start_date", "label")
    )
    return render(
        request,
        "intake/registration/cohort_list.html",
        {"cohorts": cohorts, "school": user_school(request.user)},
    )


@school_staff_required
def cohort_new(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort = cohort_create(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, "Cohorte creada.")
        return redirect("registration:cohort", pk=cohort.pk)
    return render(request, "intake/registration/cohort_form.html", {"form": form})


@school_staff_required
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, pk)
    enrollments = (
        enrollments_visible_to(request.user)
        .filter(cohort=cohort)
        .select_related("person", "institution", "role", "region")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("phase")))
        .order_by("person__paternal_surname", "person__maternal_surname", "person__given_names")
    )
    rows = []
    for enrollment in _as_seen(request, enrollments):
        scores = {score.phase: score for score in enrollment.scores.all()}
        rows.append((enrollment, scores.get(Phase.PRE), scores.get(Phase.POST)))
    return render(
        request, "intake/registration/cohort_detail.html", {"cohort": cohort, "rows": rows}
    )


@school_staff_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, pk)
    form = RegistrationForm(request.POST or None, cohort=cohort)
    warning = RegistrationMatches()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lookup_count(user=request.user, kind=REGISTRATION)
            result = participant_register(
                actor=request.user,
                cohort=cohort,
                given_names=data["given_names"],
                paternal_surname=data["paternal_surname"],
                maternal_surname=data["maternal_surname"],
                sex=data["sex"],
                dni=data["dni"],
                email=data["email"],
                phone=data["phone"],
                institution=data["institution"],
                role=data["role"],
                region=data["region"],
                consent_version=data["consent_version"],
                contact_consent_version=(
                    data["contact_consent_version"] if data["contact_consent"] else ""
                ),
                birth_date=data["birth_date"],
                guardian=_guardian_statement(data),
                guardian_consent_version=data["guardian_consent_version"]
                or CURRENT_GUARDIAN_CONSENT_VERSION,
                # The buttons of the "ya registrada" warning (register.html).
                existing_person_code=request.POST.get("existing_person", ""),
                confirmed_new=request.POST.get("confirm_new") == "1",
                request=request,
            )
        except RegistrationNeedsConfirmation as question:
            warning = question.matches
        except (RegistrationRefused, LookupLimitReached) as refusal:
            form.add_error(None, str(refusal))
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            if result.already_enrolled:
                messages.info(
                    request,
                    f"{result.person.code} ya está inscrita en esta cohorte: no se la registró "
                    "de nuevo.",
                )
                return redirect(
                    reverse("registration:cohort", args=[cohort.pk])
                    + f"#{enrollment_anchor(result.person.code)}"
                )
            if result.existing_person:
                # The person is enrolled in this school's cohort now, so their code is theirs
                # to see; nothing about where else they trained is shown.
                messages.success(
                    request,
                    f"La persona ya figuraba en el registro (código {result.person.code}): se "
                    "la inscribió en la cohorte sin crear un duplicado.",
                )
            else:
                messages.success(
                    request, f"Participante registrado con el código {result.person.code}."
                )
            if result.minor.minor:
                messages.info(request, _minor_message(result.minor, cohort))
            return redirect("registration:cohort", pk=cohort.pk)
    return render(
        request,
        "intake/registration/register.html",
        {
            "cohort": cohort,
            "form": form,
            "warning": warning,
            "in_cohort": [match for match in warning.visible if match.in_cohort],
            "others": [match for match in warning.visible if not match.in_cohort],
        },
    )


def _guardian_statement(data: dict[str, Any]) -> GuardianStatement | None:
    """The guardian's consent as the form took it; None unless the box was ticked."""
    if not (data["guardian_consent"] and data["guardian_name"] and data["guardian_relationship"]):
        return None
    return GuardianStatement(
        guardian_name=data["guardian_name"],
        guardian_relationship=data["guardian_relationship"],
        guardian_document=data["guardian_document"],
        given_at=timezone.now(),
        allows_follow_up=bool(data["guardian_follow_up"]),
    )


def _minor_message(status: MinorStatus, cohort: Cohort) -> str:
    at = "al inicio del curso" if cohort.start_date else "a la fecha de registro"
    text = f"La persona es {status.label} ({status.age} años {at})."
    if status.under_14:
        return f"{text} Se registró el consentimiento de su madre, padre o apoderado."
    return (
        f"{text} No se la contactará para encuestas de seguimiento salvo que su madre, padre "
        "o apoderado lo autorice."
    )


def _add_model_errors(form: RegistrationForm, error: ValidationError) -> None:
    field_map = {"document_number": "dni"}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field_map.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@school_staff_required
@require_POST
def matches(request: HttpRequest) -> JsonResponse:
    """Duplicate hints while typing. POST so that names and DNIs stay out of URLs and logs.

    Each hint counts against the user's hourly budget (accounts.lookup_limits) and is
    audited: which persons matched, never what was typed."""
    form = MatchQueryForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": "consulta no válida"}, status=400)
    cohort = _cohort_or_404(request, form.cleaned_data["cohort"])
    try:
        lookup_count(user=request.user, kind=HINT)
    except LookupLimitReached as limit:
        return JsonResponse({"error": str(limit)}, status=429)
    found = registration_candidates(
        user=request.user,
        given_names=form.cleaned_data["given"],
        paternal_surname=form.cleaned_data["paternal"],
        maternal_surname=form.cleaned_data["maternal"],
        dni=form.cleaned_data["dni"],
        sex=form.cleaned_data["sex"],
        email=form.cleaned_data["email"],
        phone=form.cleaned_data["phone"],
    )
    audit_record(
        actor=request.user,
        action=AuditAction.PERSON_LOOKUP,
        obj=cohort,
        details={
            "source": "registration_hint",
            "dni_typed": bool(form.cleaned_data["dni"]),
            "matched": list(found.matched_codes),
            "shown": [match.code for match in found.visible],
            "registered_elsewhere": found.registered_elsewhere,
        },
        request=request,
    )
    # Cut down to what the user may read by registration_candidates (accounts.access).
    return JsonResponse(found.as_json())


def _as_seen(request: HttpRequest, enrollments: Any) -> list[Enrollment]:
    """The enrollments with their persons as the user may read them (accounts.access)."""
    enrollments = list(enrollments)
    persons = persons_as_seen_by(request.user, [enrollment.person for enrollment in enrollments])
    for enrollment, person in zip(enrollments, persons, strict=True):
        enrollment.person = person
    return enrollments


@school_staff_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort_or_404(request, pk)
    enrollments = _as_seen(
        request,
        enrollments_visible_to(request.user)
        .filter(cohort=cohort)
        .select_related("person", "cohort")
        .prefetch_related("scores")
        .order_by("person__paternal_surname", "person__given_names"),
    )
    form = ScoresForm(request.POST or None, enrollments=enrollments)
    if request.method == "POST" and form.is_valid():
        entries = [
            (enrollment, phase, value)
            for enrollment in enrollments
            for phase in Phase.values
            if (value := form.cleaned_data.get(ScoresForm.field_name(enrollment, phase)))
            is not None
        ]
        changed = cohort_scores_enter(
            actor=request.user,
            entries=entries,
            scale_max=form.cleaned_data["scale_max"],
            request=request,
        )
        messages.success(
            request,
            "No cambió ningún puntaje."
            if not changed
            else "Se guardó 1 puntaje nuevo o cambiado."
            if changed == 1
            else f"Se guardaron {changed} puntajes nuevos o cambiados.",
        )
        return redirect("registration:cohort", pk=cohort.pk)
    return render(request, "intake/registration/scores.html", {"cohort": cohort, "form": form})
