"""Pages of the review queue, merge history and code lookup. Thin: parse, call, render.

Only registry administrators use them: staff users holding
`participants.change_duplicatecandidate` (undoing a merge also needs
`participants.change_mergerecord`). Anonymous users are sent to the login page; anyone else
gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access.sensitive import sees_every_sensitive
from accounts.access.user_scope import is_school_staff
from courses.models import Course
from courses.sensitivity import sensitive_course_q
from participants.codes import normalise_code
from participants.linkage_store import ModelInUse
from participants.models import DuplicateCandidate, Institution, MergeRecord, Person, Region
from participants.selectors import merge_is_latest, merge_list, person_resolve
from review.comparison import choices_from_sides, compare_persons
from review.merging import MergeError, person_unmerge
from review.merging.field_values import FIELDS, has_valid_dni
from review.selectors import (
    QueueFilters,
    candidate_next,
    candidate_queue,
    person_enrollments,
    person_reserved,
    person_sources,
)
from review.services import ReviewError, candidate_decide

REVIEW_PERMISSION = "participants.change_duplicatecandidate"
UNDO_PERMISSION = "participants.change_mergerecord"
PAGE_SIZE = 25
_DECISION_MESSAGES = {
    "same": "Registros fusionados: {survivor} conserva todo lo de {merged}.",
    "different": "Anotado: son personas distintas; no se volverá a preguntar.",
    "skip": "Par omitido: volverá al final de la cola.",
}


class AdminRequest(HttpRequest):
    """A request `registry_admin_required` let through: its user is signed in."""

    user: User


def registry_admin_required(*perms: str) -> Callable[..., Any]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # School staff never resolve duplicates, whatever permissions they were given:
            # a pair can show another school's participant.
            user = request.user
            if not (user.is_staff and user.has_perms(perms)) or is_school_staff(user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> QueueFilters:
    return QueueFilters(
        course=_int_or_none(request.GET.get("course")),
        region=_int_or_none(request.GET.get("region")),
        institution=_int_or_none(request.GET.get("institution")),
        ascending=request.GET.get("order") == "asc",
    )


def _filter_query(filters: QueueFilters) -> str:
    params: dict[str, int | str] = {
        key: value
        for key, value in (
            ("course", filters.course),
            ("region", filters.region),
            ("institution", filters.institution),
        )
        if value is not None
    }
    if filters.ascending:
        params["order"] = "asc"
    return urlencode(params)


def _with_query(url: str, query: str) -> str:
    return f"{url}?{query}" if query else url


@require_GET
@registry_admin_required(REVIEW_PERMISSION)
def queue(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = Paginator(candidate_queue(filters, user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for candidate in page.object_list:
        candidate.reasons_text = "; ".join(_reasons(candidate.reasons))
    return render(
        request,
        "review/queue.html",
        {
            "page_obj": page,
            "filters": filters,
            "filter_query": _filter_query(filters),
            "courses": _filter_courses(request),
            "regions": Region.objects.order_by("name"),
            "institutions": Institution.objects.order_by("acronym"),
        },
    )


@require_http_methods(["GET", "POST"])
@registry_admin_required(REVIEW_PERMISSION)
def pair(request: AdminRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(
        DuplicateCandidate.objects.select_related("person_a", "person_b", "decided_by", "model"),
        pk=pk,
    )
    filters = _filters(request)
    query = _filter_query(filters)
    if request.method == "POST":
        return _decide(request, candidate, filters, query)
    a, b = candidate.person_a, candidate.person_b
    return render(
        request,
        "review/pair.html",
        {
            "candidate": candidate,
            "a": a,
            "b": b,
            "rows": compare_persons(a, b),
            "enrollments_a": person_enrollments(a, request.user),
            "enrollments_b": person_enrollments(b, request.user),
            "reserved_a": person_reserved(a, request.user),
            "reserved_b": person_reserved(b, request.user),
            "sources_a": person_sources(a, request.user),
            "sources_b": person_sources(b, request.user),
            "reasons": _reasons(candidate.reasons),
            "model_label": ModelInUse.label_of(candidate.model),
            "needs_force": has_valid_dni(a)
            and has_valid_dni(b)
            and a.document_number != b.document_number,
            "merges": candidate.merges.select_related("merged_by", "survivor", "merged"),
            "filter_query": query,
        },
    )


def _filter_courses(request: HttpRequest) -> QuerySet[Course]:
    """The courses the queue can be filtered by: a sensitive one only to who may see its
    participations (the filter would list the persons who took it)."""
    courses = Course.objects.order_by("title")
    if sees_every_sensitive(request.user):
        return courses
    return courses.exclude(pk__in=Course.objects.filter(sensitive_course_q()).values("pk"))


def _reasons(reasons: Any) -> list[str]:
    if isinstance(reasons, str):
        return [part.strip() for part in reasons.split(";") if part.strip()]
    return [str(reason) for reason in reasons or []]


def _decide(
    request: AdminRequest, candidate: DuplicateCandidate, filters: QueueFilters, query: str
) -> HttpResponse:
    decision = request.POST.get("decision", "")
    survivor_is_a = request.POST.get("survivor", "a") != "b"
    survivor = candidate.person_a if survivor_is_a else candidate.person_b
    sides = {field: request.POST.get(f"field_{field}", "rule") for field in FIELDS}
    try:
        merge = candidate_decide(
            candidate=candidate,
            decision=decision,
            actor=request.user,
            survivor=survivor,
            field_choices=choices_from_sides(sides=sides, survivor_is_a=survivor_is_a) or None,
            force=request.POST.get("force") == "1",
        )
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect(_with_query(reverse("review:pair", args=[candidate.pk]), query))
    text = _DECISION_MESSAGES[decision]
    if merge is not None:
        text = text.format(survivor=merge.survivor.code, merged=merge.merged.code)
    messages.success(request, text)
    following = candidate_next(filters=filters, after=candidate, user=request.user)
    if following is None:
        messages.info(request, "No quedan pares por revisar con estos filtros.")
        return redirect(_with_query(reverse("review:queue"), query))
    return redirect(_with_query(reverse("review:pair", args=[following.pk]), query))


@require_GET
@registry_admin_required(REVIEW_PERMISSION)
def merges(request: HttpRequest) -> HttpResponse:
    person = None
    code = request.GET.get("person", "").strip()
    if code:
        # The merges of exactly this code, tombstone or not: its history, not its survivor's.
        person = Person.objects.filter(code=normalise_code(code)).first()
        if person is None:
            messages.error(request, f"No existe ningún participante con el código {code}.")
    records = merge_list(person=person) if person or not code else MergeRecord.objects.none()
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page.object_list:
        record.can_undo = record.undone_at is None and merge_is_latest(record)
    return render(
        request,
        "review/merges.html",
        {"page_obj": page, "person": person, "code": code, "can_undo": _can_undo(request)},
    )


def _can_undo(request: HttpRequest) -> bool:
    return request.user.has_perm(UNDO_PERMISSION)


@require_POST
@registry_admin_required(REVIEW_PERMISSION, UNDO_PERMISSION)
def merge_undo(request: AdminRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord.objects.select_related("survivor", "merged"), pk=pk)
    try:
        person_unmerge(merge=record, actor=request.user)
    except MergeError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Fusión deshecha: {record.merged.code} y {record.survivor.code} vuelven a ser "
            "dos registros, como antes de la fusión.",
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("review:merges")
    return redirect(target)


@require_GET
@registry_admin_required(REVIEW_PERMISSION)
def person_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A person by code; a merged code redirects to the person it was merged into."""
    try:
        person = Person.objects.get(code=code)
    except Person.DoesNotExist:
        try:
            person = person_resolve(code)
        except Person.DoesNotExist:
            raise Http404(f"No participant has the code {code}.") from None
        return redirect("review:person", code=person.code)
    if person.merged_into_id is not None:
        survivor = person_resolve(person)
        messages.info(
            request, f"El código {person.code} fue fusionado; hoy corresponde a {survivor.code}."
        )
        return redirect("review:person", code=survivor.code)
    return render(
        request,
        "review/person.html",
        {
            "person": person,
            "enrollments": person_enrollments(person, request.user),
            "reserved": person_reserved(person, request.user),
            "sources": person_sources(person, request.user),
            "merged_codes": Person.objects.filter(merged_into=person).values_list(
                "code", flat=True
            ),
            "merges": _merges_with_undo(person),
            "can_undo": _can_undo(request),
        },
    )


def _merges_with_undo(person: Person) -> list[MergeRecord]:
    records = list(merge_list(person=person))
    for record in records:
        record.can_undo = record.undone_at is None and merge_is_latest(record)
    return records
