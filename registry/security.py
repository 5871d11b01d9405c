"""Response headers that protect the personal data the registry shows.

The Content-Security-Policy itself comes from django-csp (`CONTENT_SECURITY_POLICY` in the
settings); this module adds what django-csp does not cover:

- `Permissions-Policy`: no page of the registry needs a camera, a microphone, the location or
  a payment sheet, so none may ask for them (nor a script injected into one).
- `Cache-Control: no-store` on every answer to a signed-in user: the pages, downloads and
  redirects they get show or lead to personal data, which must not stay in a shared
  computer's browser cache or a proxy. Static files are never served through here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

# Every powerful feature off. Only features Chromium and Firefox know are listed: an unknown
# one makes the browser log an error on every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


def _is_static(path: str) -> bool:
    static_url = "/" + str(settings.STATIC_URL).lstrip("/")
    return path.startswith(static_url)


class SecurityHeadersMiddleware:
    """Adds Permissions-Policy to every answer and no-store to every signed-in user's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        # Read after the view ran: the answer to a sign-in already carries the new session.
        if user is not None and user.is_authenticated and not _is_static(request.path):
            add_never_cache_headers(response)
        return response
