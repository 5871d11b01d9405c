"""Write the new responses of a preview: in one transaction, planned again inside it.

Per row: the `SurveyResponse`, the member marked as responded, and - when the row says
where the person works now - a `ReportedPost` dated the day they answered (or the import's
day), which becomes their last known post. Enrollments keep the post as at the training and
are never touched. One audit event names the wave, the file and the counts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from followup.models import MemberStatus, ReportedPost, SurveyResponse, SurveyWave, WaveMember
from followup.responses.preview import ResponsePreview, responses_preview
from participants.changes import counted_data_changed

AUDIT_KIND = "survey_responses"


def responses_import(
    wave: SurveyWave,
    data: bytes,
    *,
    file_name: str,
    actor: Any,
    confirm: bool = False,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> ResponsePreview:
    """The preview of the file; with `confirm`, its new responses written (all or none)."""
    if not confirm:
        return responses_preview(wave, data, file_name=file_name, today=today)
    today = today or timezone.localdate()
    with transaction.atomic():
        # The reports show each survey indicator's latest estimate: stored snapshots go stale.
        counted_data_changed()
        # Locked first, then planned: an import running at the same time waits here and then
        # sees these responses as already given instead of writing a second one.
        list(WaveMember.objects.select_for_update().filter(wave=wave).values_list("pk"))
        preview = responses_preview(wave, data, file_name=file_name, today=today)
        members = {m.pk: m for m in WaveMember.objects.filter(wave=wave)}
        for plan in preview.to_import:
            member = members[plan.member_id or 0]  # a new response always has its member
            response = SurveyResponse.objects.create(
                member=member,
                answers=plan.answers,
                reported={
                    "text": plan.post_text,
                    "ids": plan.post_ids,
                },
                responded_on=plan.responded_on,
                source_file=file_name[:255],
                source_row=plan.row_number,
                imported_by=actor,
            )
            member.status = MemberStatus.RESPONDED
            member.save(update_fields=["status"])
            if plan.post_text:
                ReportedPost.objects.create(
                    person_id=member.person_id,
                    institution_id=plan.post_ids.get("institution"),
                    role_id=plan.post_ids.get("role"),
                    region_id=plan.post_ids.get("region"),
                    institution_text=plan.post_text.get("institution", "")[:200],
                    role_text=plan.post_text.get("role", "")[:200],
                    region_text=plan.post_text.get("region", "")[:100],
                    reported_on=plan.responded_on or today,
                    response=response,
                )
        preview.committed = True
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            obj=wave,
            request=request,
            details={
                "kind": AUDIT_KIND,
                "wave": wave.pk,
                "file": file_name,
                "rows": len(preview.rows),
                "imported": len(preview.to_import),
                "outcomes": {str(k): v for k, v in preview.counts.items()},
            },
        )
    return preview
