"""Creating user accounts from the command line (the admin has its own forms)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

# 20 URL-safe characters: about 120 bits, and nothing a shell or a spreadsheet mangles.
_RANDOM_PASSWORD_BYTES = 15


def password_generate(*, user: User | None = None) -> str:
    """A random password that passes every configured validator."""
    while True:
        password = secrets.token_urlsafe(_RANDOM_PASSWORD_BYTES)
        try:
            validate_password(password, user)
        except ValidationError:  # a draw a validator dislikes is simply drawn again
            continue
        return password


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "") -> User:
    """A new active user. Raises ValidationError, with Spanish messages, for a username that
    is taken or not valid, or a password that a validator refuses."""
    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise ValidationError(f"El usuario «{username}» ya existe.", code="user_exists")
    user = user_model(username=username, email=email)
    user.full_clean(exclude=["password"])
    validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
