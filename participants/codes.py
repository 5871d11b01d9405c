"""Participant codes: "PE-" + 7 random Crockford base32 characters + 1 check character.

Crockford's alphabet leaves out I, L, O and U so a code read aloud or copied by hand is not
misread. The check character is Luhn mod 32 over the alphabet, which catches every single
mistyped character and nearly every swap of two adjacent characters (all but about
0.3%). 32**7 (34 billion) values make random collisions rare; the unique constraint on
`Person.code` catches the rest.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX = "PE-"
BODY_LENGTH = 7
CODE_LENGTH = len(PREFIX) + BODY_LENGTH + 1
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_BASE = len(ALPHABET)


def check_character(body: str) -> str:
    """Luhn mod N check character for `body` (characters of ALPHABET)."""
    factor = 2
    total = 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // _BASE + addend % _BASE
    return ALPHABET[(_BASE - total % _BASE) % _BASE]


def generate_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return f"{PREFIX}{body}{check_character(body)}"


def normalise_code(value: str) -> str:
    """Accept codes typed by hand: any case, spaces, and the letters Crockford reads as digits."""
    text = value.strip().upper().replace(" ", "")
    if text.startswith(PREFIX):
        text = text[len(PREFIX) :]
    text = text.replace("-", "").translate(str.maketrans("OIL", "011"))
    return f"{PREFIX}{text}"


def is_valid_code(value: str) -> bool:
    if len(value) != CODE_LENGTH or not value.startswith(PREFIX):
        return False
    body, check = value[len(PREFIX) : -1], value[-1]
    if any(char not in _VALUE for char in body):
        return False
    return check_character(body) == check
