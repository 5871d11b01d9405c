"""The spellings partners wrote that map to no vocabulary entry, as written, with how many
participations use them, and a "crear alias" for each: for registry administrators, who
must see the real text to map it (the dashboard masks it for analysts).

Creating an alias goes through `courses.vocabulary_mapping.alias_map`: the spelling becomes
an alias of the chosen entry and every enrollment that used it is re-mapped, audited.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.access.sensitive import without_hidden_sensitive
from accounts.access.user_scope import is_registry_admin
from courses.models import Enrollment
from courses.vocabulary_mapping import alias_map
from participants.names import fold
from participants.vocabularies import VOCABULARIES

LABELS = {"institution": "Institución", "role": "Cargo", "region": "Región"}
# Per vocabulary, the most used spellings first; the rest wait for the next page load.
LIMIT = 200


@dataclass(frozen=True)
class Spelling:
    vocabulary: str
    key: str  # folded: what the alias stores
    written: str  # the most frequent way partners wrote it
    variants: tuple[str, ...]  # every way it was written
    participations: int


def unmapped_spellings_written(user: Any) -> dict[str, list[Spelling]]:
    """Per vocabulary, the unmapped spellings as written, most used first."""
    found: dict[str, list[Spelling]] = {}
    for name, vocab in VOCABULARIES.items():
        text_field = f"{vocab.field}_text"
        rows = (
            without_hidden_sensitive(
                user,
                Enrollment.objects.filter(**{f"{vocab.field}__isnull": True}).exclude(
                    **{text_field: ""}
                ),
                "cohort__",
            )
            .values(text_field)
            .annotate(n=Count("pk"))
        )
        by_key: dict[str, Counter[str]] = defaultdict(Counter)
        for row in rows:
            text = row[text_field]
            by_key[fold(text)][text] += row["n"]
        spellings = [
            Spelling(
                vocabulary=name,
                key=key,
                written=counts.most_common(1)[0][0],
                variants=tuple(sorted(counts)),
                participations=sum(counts.values()),
            )
            for key, counts in by_key.items()
            if key
        ]
        spellings.sort(key=lambda s: (-s.participations, s.key))
        found[name] = spellings[:LIMIT]
    return found


def unmapped_spellings_view(request: HttpRequest) -> HttpResponse:
    if not is_registry_admin(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _create_alias(request)
    spellings = unmapped_spellings_written(request.user)
    sections = [
        {
            "vocabulary": name,
            "label": LABELS[name],
            "spellings": spellings[name],
            "entries": list(VOCABULARIES[name].entry_model.objects.order_by("name")),
        }
        for name in VOCABULARIES
    ]
    context = {
        **admin.site.each_context(request),
        "title": "Grafías sin mapear",
        "sections": sections,
    }
    return render(request, "registry/admin/vocabularies/unmapped_spellings.html", context)


def _create_alias(request: HttpRequest) -> HttpResponse:
    here = reverse("admin:unmapped_spellings")
    name = request.POST.get("vocabulary", "")
    text = request.POST.get("spelling", "")
    if name not in VOCABULARIES or not fold(text):
        messages.error(request, "Elija una grafía de la lista.")
        return HttpResponseRedirect(here)
    entry = (
        VOCABULARIES[name].entry_model.objects.filter(pk=request.POST.get("entry") or None).first()
    )
    if entry is None:
        messages.error(request, f"Elija a qué {LABELS[name].lower()} corresponde «{text}».")
        return HttpResponseRedirect(here)
    updated = alias_map(vocabulary=name, text=text, entry=entry, actor=request.user)
    messages.success(
        request,
        f"«{text}» es ahora un alias de {entry}: {updated} participaciones re-mapeadas.",
    )
    return HttpResponseRedirect(here)
