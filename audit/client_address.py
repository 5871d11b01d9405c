"""The client's address: the one rule for the sign-in lockout and the audit log.

Behind a reverse proxy every request comes from the proxy's address, so keying the lockout on
REMOTE_ADDR would let one attacker lock any user out for everybody. With
`TRUSTED_PROXY_COUNT` proxies in front of the registry, each appending the address it received
the request from to `TRUSTED_PROXY_HEADER`, the client is the entry that many places from the
end: entries further left were written by the client itself and can be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _meta_key(header: str) -> str:
    """ "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR", as Django names it in request.META."""
    return "HTTP_" + header.strip().upper().replace("-", "_")


def proxy_count() -> int:
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not isinstance(count, int) or count < 0:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXY_COUNT debe ser un número entero de 0 en adelante, no «{count}»."
        )
    return count


def client_address(request: HttpRequest | None) -> str | None:
    """The client's IP address, or None when the request carries no valid one."""
    if request is None:
        return None
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    count = proxy_count()
    if count == 0:
        return remote
    header = getattr(settings, "TRUSTED_PROXY_HEADER", "X-Forwarded-For")
    entries = [entry for entry in request.META.get(_meta_key(header), "").split(",") if entry]
    if len(entries) < count:
        # Fewer entries than proxies: the request did not come through all of them.
        return remote
    return _valid(entries[-count])


def axes_client_address(request: HttpRequest) -> str | None:
    """The form django-axes calls (`AXES_CLIENT_IP_CALLABLE`)."""
    return client_address(request)
