from __future__ import annotations

from data_requests.redaction import (
    REDACTED,
    redact_json,
    redact_row,
    secrets_of,
)

SECRETS = secrets_of(["Rosa Elena", "Condori", "01234567", "rosa@example.org", "987654321"])


def test_personal_headers_and_cells_holding_the_persons_values_go() -> None:
    row = {
        "NOMBRES": "ROSA ELENA",
        "Apellido paterno": "CONDORI",
        "DNI": "1234567",  # Excel dropped the leading zero
        "Cargo": "Fiscal adjunta",
        "Comentario": "tel. 987-654-321",
        "Email alterno": "",
        "Pre": "14",
    }
    assert redact_row(row, SECRETS) == {
        "NOMBRES": REDACTED,
        "Apellido paterno": REDACTED,
        "DNI": REDACTED,
        "Cargo": "Fiscal adjunta",
        "Comentario": REDACTED,
        "Email alterno": "",
        "Pre": "14",
    }


def test_other_peoples_values_stay() -> None:
    row = {"Observaciones": "Reemplaza a Juan Quispe", "Nota": "18"}
    assert redact_row(row, SECRETS) == row


def test_json_redaction_blanks_personal_keys_and_strings_with_secrets() -> None:
    state = {
        "survivor": {"id": 4, "given_names": "Rosa", "document_number": "", "sex": "F"},
        "notes": ["row of ROSA@example.org", "kept"],
        "survivor_changes": {"email": ["", "rosa@example.org"]},
    }
    assert redact_json(state, SECRETS) == {
        "survivor": {"id": 4, "given_names": REDACTED, "document_number": "", "sex": "F"},
        "notes": [REDACTED, "kept"],
        "survivor_changes": {"email": ["", REDACTED]},
    }


def test_short_values_are_not_secrets() -> None:
    assert secrets_of(["Li", "12", "a"]) == []


def test_mentions_by_initial_and_surname() -> None:
    from data_requests.initials import initial_mentions

    mentions, left = initial_mentions(given=["EUFEMIA"], surnames=["QUILCARUNA"], namesakes=[])
    assert left == 0
    for text in (
        "Fiscalía - E. Quilcaruná",
        "enc. E.QUILCARUNA",
        "e quilcaruna",
        "E. R. Quilcaruná",
        "Quilcaruná, E.",
    ):
        assert mentions.found_in(text), text
    for text in (
        "Eufemia Quilcaruná",
        "EQuilcaruná",
        "de Quilcaruná",
        "A. Quilcaruná",
        "Quilcaruná",
    ):
        assert not mentions.found_in(text), text
    assert mentions.cut("Fiscalía - E. Quilcaruná") == "Fiscalía"
    assert mentions.replace("Fiscalía - E. Quilcaruná", "[CANCELADO]") == "Fiscalía - [CANCELADO]"
    shared, left = initial_mentions(
        given=["EUFEMIA"], surnames=["QUILCARUNA"], namesakes=[("Elmer", "Quilcaruná Soto")]
    )
    assert left == 1
    assert not shared.found_in("E. Quilcaruná")
