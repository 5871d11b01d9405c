"""How django-axes names a client in the application log.

axes logs every failed sign-in with the username and IP address; both are personal data and
the log leaves the database's access control. The log gets a short one-way digest instead,
enough to correlate repeated failures; the full attempt stays in axes' own tables (admin-only).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings


def client_str(
    username: str | None,
    ip_address: str | None,
    user_agent: str | None,
    path_info: Any,
    request: Any,
) -> str:
    material = f"{settings.SECRET_KEY}|{username or ''}|{ip_address or ''}"
    digest = hashlib.sha256(material.encode("utf-8")).hexdigest()[:12]
    if isinstance(path_info, tuple | list):
        path_info = path_info[0] if path_info else ""
    return f"{{client: {digest}, path: {path_info or ''}}}"
