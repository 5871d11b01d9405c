"""Pages of the suspected wrong links: persons whose records carry incompatible DNIs.

The reviewer sees the person's identity records grouped by DNI, with the roster row each came
from, and either keeps the person together or splits off the records of one DNI into a new
person. A split is undone by merging the two back (itself reversible in the merge history).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access.rows import identity_records_visible_to
from accounts.access.user_scope import User
from participants.models import IdentityRecord, SplitCandidate
from participants.record_frames.merged_persons import members_of
from review.merging import MergeError, person_merge
from review.splits import OPEN, SplitError, person_split, split_keep
from review.views import PAGE_SIZE, REVIEW_PERMISSION, AdminRequest, registry_admin_required

UNDO_SPLIT_RULE = "deshacer separación"


@require_GET
@registry_admin_required(REVIEW_PERMISSION)
def splits(request: HttpRequest) -> HttpResponse:
    pending = SplitCandidate.objects.filter(decision__in=OPEN).select_related("person")
    page = Paginator(pending.order_by("created_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    decided = (
        SplitCandidate.objects.exclude(decision__in=OPEN)
        .select_related("person", "split_into", "decided_by")
        .order_by("-decided_at")[:PAGE_SIZE]
    )
    return render(request, "review/splits.html", {"page_obj": page, "decided": decided})


def _records_by_dni(
    candidate: SplitCandidate, user: User
) -> list[tuple[str, list[IdentityRecord]]]:
    """Every record, for the split needs them all; a record made by a roster row `user` may
    not see is shown without the row (its file and course), marked `row_reserved`."""
    members = members_of([candidate.person_id])
    records = IdentityRecord.objects.filter(person_id__in=list(members)).select_related(
        "source_record__batch__cohort__course"
    )
    visible = set(
        identity_records_visible_to(user).filter(pk__in=records).values_list("pk", flat=True)
    )
    groups: dict[str, list[IdentityRecord]] = {}
    for record in records.order_by("dni", "created_at", "pk"):
        record.row_reserved = record.pk not in visible  # type: ignore[attr-defined]
        groups.setdefault(record.dni, []).append(record)
    return sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))


@require_http_methods(["GET", "POST"])
@registry_admin_required(REVIEW_PERMISSION)
def split(request: AdminRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        SplitCandidate.objects.select_related("person", "split_into", "decided_by"), pk=pk
    )
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "keep":
                split_keep(candidate=candidate, actor=request.user)
                messages.success(
                    request, "Anotado: es una sola persona; no se volverá a preguntar."
                )
            else:
                new_person = person_split(
                    candidate=candidate, dni=request.POST.get("dni", ""), actor=request.user
                )
                messages.success(
                    request,
                    f"Separada: los registros del DNI {new_person.document_number} forman "
                    f"ahora la persona {new_person.code}.",
                )
        except SplitError as error:
            messages.error(request, str(error))
            return redirect("review:split", pk=candidate.pk)
        return redirect("review:splits")
    return render(
        request,
        "review/split.html",
        {
            "candidate": candidate,
            "groups": _records_by_dni(candidate, request.user),
            "open": candidate.decision in OPEN,
        },
    )


@require_POST
@registry_admin_required(REVIEW_PERMISSION)
def split_undo(request: AdminRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        SplitCandidate.objects.select_related("person", "split_into"), pk=pk
    )
    if candidate.split_into is None:
        messages.error(request, "Esta persona no fue separada.")
        return redirect("review:split", pk=candidate.pk)
    try:
        person_merge(
            survivor=candidate.person,
            merged=candidate.split_into,
            actor=request.user,
            rule=UNDO_SPLIT_RULE,
            # The two DNIs are what made them two: undoing the split accepts them on one person.
            force=True,
        )
    except MergeError as error:
        messages.error(request, str(error))
        return redirect("review:split", pk=candidate.pk)
    messages.success(
        request,
        f"Separación deshecha: {candidate.split_into.code} vuelve a ser {candidate.person.code} "
        "(la fusión puede deshacerse en el historial de fusiones).",
    )
    return redirect(reverse("review:merges") + f"?person={candidate.person.code}")
