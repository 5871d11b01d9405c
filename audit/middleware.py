"""Record every refusal (HTTP 403) a signed-in user meets.

Role-level refusals happen in many places (the review pages' decorator, the reports, the
admin's own permission checks, CSRF failures); each of them ends as a 403 response, so the
response is the one place that sees them all. Object-level refusals - another school's row -
are answered with a 404 and recorded where they happen
(`accounts.access.rows.denied_access_record`), so the two never record the same request twice.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.models import AuditAction
from audit.services import audit_record

# A path is short; a longer one is truncated rather than letting a client fill the log.
_MAX_PATH = 300


class PermissionDeniedAuditMiddleware:
    """Append a `permission_denied` event for each 403 answered to an authenticated user.

    Put after AuthenticationMiddleware (it reads `request.user`). Only the path without its
    query string, the method and the URL name are kept: a query string can carry search terms
    (names, DNIs) and is never recorded.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                permission_denied_record(request=request)
        return response


def permission_denied_record(*, request: HttpRequest) -> None:
    match = getattr(request, "resolver_match", None)
    details = {"path": request.path[:_MAX_PATH], "method": request.method, "status": 403}
    if match is not None and match.view_name:
        details["view"] = match.view_name
    audit_record(
        actor=request.user,
        action=AuditAction.PERMISSION_DENIED,
        details=details,
        request=request,
    )
