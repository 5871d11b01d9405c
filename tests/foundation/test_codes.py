from __future__ import annotations

import random

from participants.codes import (
    ALPHABET,
    PREFIX,
    check_character,
    generate_code,
    is_valid_code,
    normalise_code,
)


def test_generated_codes_carry_a_valid_check_character() -> None:
    for _ in range(500):
        code = generate_code()
        assert code.startswith(PREFIX)
        assert len(code) == len(PREFIX) + 8
        assert is_valid_code(code)


def test_every_single_character_error_is_detected() -> None:
    rng = random.Random(7)
    for _ in range(200):
        code = generate_code()
        position = rng.randrange(len(PREFIX), len(code))
        for char in ALPHABET:
            if char != code[position]:
                typo = code[:position] + char + code[position + 1 :]
                assert not is_valid_code(typo), typo


def test_check_character_is_known_value() -> None:
    # Computed by hand with Luhn mod 32: body "0000001" -> check "Y" (value 30).
    assert check_character("0000001") == ALPHABET[30]


def test_codes_typed_by_hand_are_normalised() -> None:
    code = generate_code()
    typed = code.lower().replace("0", "o").replace("1", "l")
    assert normalise_code(typed) == code


def test_malformed_codes_are_invalid() -> None:
    assert not is_valid_code("PE-123")
    assert not is_valid_code("XX-00000010")
    assert not is_valid_code("PE-0000001U")
