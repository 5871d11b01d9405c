"""The waves' pages: list, create, detail (the sample against its population), draw,
replace, and the contact lists' downloads. Thin: the services are in `waves` and
`contact_lists`, who may do what in `access`."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access.user_scope import is_registry_admin
from courses.participation_filters import FilterError
from followup.access import can_identify, waves_required
from followup.contact_lists import (
    CONTENT_TYPES,
    FILE_TYPES,
    ContactListError,
    ContactListRefused,
    ListFormat,
    contact_list_export,
    limesurvey_attributes,
)
from followup.forms import QuestionForm, WaveForm
from followup.models import MemberStatus, SurveyWave, WaveMember, WaveStatus
from followup.population import DIMENSION_LABELS, WavePopulation
from followup.questions import wave_question_add
from followup.results import wave_results
from followup.waves import (
    EXCLUSION_REASONS,
    REASON_LABELS,
    WaveError,
    seed_random,
    wave_create,
    wave_draw,
    wave_open_for,
    wave_replace,
    waves_listed_for,
)
from formats.numbers import number_shown


@waves_required
def wave_list(request: HttpRequest) -> HttpResponse:
    return render(request, "followup/wave_list.html", {"waves": waves_listed_for(request.user)})


@waves_required
def wave_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = WaveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                wave = wave_create(
                    name=data["name"],
                    purpose=data["purpose"],
                    population=data["population"],
                    strata=data["strata"],
                    allocation=data["allocation"],
                    sample_size=data["sample_size"],
                    margin_of_error=data["margin_of_error"],
                    confidence=data["confidence"],
                    min_per_stratum=data["min_per_stratum"],
                    anticipated_proportion=data["anticipated_proportion"],
                    seed=data["seed"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except WaveError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Ola «{wave.name}» creada. Revise y extraiga la muestra."
                )
                return redirect("followup:detail", pk=wave.pk)
    else:
        form = WaveForm(initial={"seed": seed_random()})
    return render(request, "followup/wave_form.html", {"form": form})


def _share(part: int, whole: int) -> str:
    return f"{number_shown(100 * part / whole, decimals=1)} %" if whole else "—"


def _makeup(wave: SurveyWave) -> dict[str, Any]:
    """Per stratum: the population and the sample side by side, and who was left out."""
    strata = list(wave.strata_drawn.order_by("key"))
    drawn = Counter(wave.members.values_list("stratum_id", flat=True))
    responded = Counter(
        wave.members.filter(status=MemberStatus.RESPONDED).values_list("stratum_id", flat=True)
    )
    total_population = sum(s.population for s in strata)
    total_allocated = sum(s.allocated for s in strata)
    rows = [
        {
            "label": s.label,
            "population": s.population,
            "population_share": _share(s.population, total_population),
            "eligible": s.eligible,
            "excluded": [s.excluded.get(reason, 0) for reason in EXCLUSION_REASONS],
            "allocated": s.allocated,
            "sample_share": _share(s.allocated, total_allocated),
            "drawn": drawn[s.pk],
            "responded": responded[s.pk],
        }
        for s in strata
    ]
    totals = {
        "population": total_population,
        "eligible": sum(s.eligible for s in strata),
        "excluded": [sum(s.excluded.get(r, 0) for s in strata) for r in EXCLUSION_REASONS],
        "allocated": total_allocated,
        "drawn": sum(drawn.values()),
        "responded": sum(responded.values()),
    }
    return {"rows": rows, "totals": totals}


def _population_described(wave: SurveyWave) -> list[tuple[str, str]]:
    try:
        return WavePopulation.from_params(wave.population).described()
    except FilterError:
        # A vocabulary entry removed since the wave was created: show what was stored
        # rather than fail the page (the draw refuses such a wave with its own message).
        return [(name, str(value)) for name, value in wave.population.items()]


@waves_required
def wave_detail(
    request: HttpRequest, pk: int, question_form: QuestionForm | None = None
) -> HttpResponse:
    wave = wave_open_for(request.user, pk)
    members = (
        wave.members.select_related("stratum", "replacement_for")
        .annotate(replaced=Count("replacements"))
        .order_by("draw_order")
    )
    identifying = can_identify(request.user)
    downloads = [
        {"format": fmt, "label": fmt.label, "file_types": FILE_TYPES[fmt]} for fmt in ListFormat
    ]
    context = {
        "wave": wave,
        "population": _population_described(wave),
        "strata_names": [DIMENSION_LABELS[name] for name in wave.strata],
        "reason_labels": [REASON_LABELS[reason] for reason in EXCLUSION_REASONS],
        "makeup": _makeup(wave),
        "members": members,
        "replaceable": {MemberStatus.SELECTED, MemberStatus.NON_RESPONSE},
        "downloads": downloads,
        "identifying": identifying,
        "limesurvey_attributes": limesurvey_attributes(identifying=identifying),
        "is_draft": wave.status == WaveStatus.DRAFT,
        "is_drawn": wave.status == WaveStatus.DRAWN,
        "questions": wave.questions.select_related("indicator").order_by("code"),
        "question_form": question_form or QuestionForm(),
        "can_import": is_registry_admin(request.user) and wave.status == WaveStatus.DRAWN,
        "results": wave_results(wave) if wave.status != WaveStatus.DRAFT else None,
    }
    return render(request, "followup/wave_detail.html", context)


@require_POST
@waves_required
def wave_question_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    wave = wave_open_for(request.user, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            question = wave_question_add(
                wave=wave,
                code=data["code"],
                text=data["text"],
                kind=data["kind"],
                indicator=data["indicator"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except WaveError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Pregunta «{question.code}» agregada.")
            return redirect("followup:detail", pk=pk)
    return wave_detail(request, pk, question_form=form)


@require_POST
@waves_required
def wave_draw_view(request: HttpRequest, pk: int) -> HttpResponse:
    wave = wave_open_for(request.user, pk)
    try:
        wave = wave_draw(wave, actor=request.user)  # type: ignore[arg-type]
    except WaveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Muestra extraída: {wave.members.count()} personas.")
    return redirect("followup:detail", pk=pk)


@require_POST
@waves_required
def member_replace(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    wave_open_for(request.user, pk)  # a reserved wave's members are for holders only
    member = get_object_or_404(WaveMember, pk=member_pk, wave_id=pk)
    try:
        replacement = wave_replace(member, actor=request.user)  # type: ignore[arg-type]
    except WaveError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{member.token} no respondió; lo reemplaza {replacement.token}.")
    return redirect("followup:detail", pk=pk)


@waves_required
def contact_list_download(
    request: HttpRequest, pk: int, list_format: str, file_type: str
) -> HttpResponse:
    wave = wave_open_for(request.user, pk)
    try:
        contact_list, content = contact_list_export(
            wave, list_format=list_format, file_type=file_type, user=request.user, request=request
        )
    except ContactListRefused as error:
        raise PermissionDenied(str(error)) from error
    except ContactListError as error:
        messages.error(request, str(error))
        return redirect("followup:detail", pk=pk)
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_type])
    response["Content-Disposition"] = f'attachment; filename="{contact_list.file_name(file_type)}"'
    return response
