"""The application log never carries a DNI, an e-mail address or a phone number."""

from __future__ import annotations

import io
import logging

from registry.log_redaction import PersonalDataFilter, redact


def _logged(emit) -> str:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(PersonalDataFilter())
    logger = logging.getLogger("tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_a_database_error_in_a_traceback_is_redacted() -> None:
    def emit(logger: logging.Logger) -> None:
        try:
            raise ValueError(
                'duplicate key value violates unique constraint "person_one_active_per_document"'
                "\nDETAIL:  Key (document_type, document_number)=(dni, 40000777) already exists."
            )
        except ValueError:
            logger.exception("Internal Server Error: %s", "/admin/courses/cohort/3/import-roster/")

    text = _logged(emit)
    assert "40000777" not in text
    assert "Key (document_type, document_number)=(dni, [DNI])" in text
    assert "/admin/courses/cohort/3/import-roster/" in text


def test_message_arguments_are_redacted() -> None:
    text = _logged(
        lambda logger: logger.warning(
            "row %s: %s, %s, %s", 12, "04567890", "ana.flores@mp.gob.pe", "+51 987 654 321"
        )
    )
    assert text.strip() == "row 12: [DNI], [correo], [teléfono]"


def test_other_numbers_are_kept() -> None:
    assert redact("lote 12 de 2026, 1500 filas en 3.2 s, id 123456789012") == (
        "lote 12 de 2026, 1500 filas en 3.2 s, id 123456789012"
    )


def test_the_console_handler_of_the_settings_redacts() -> None:
    root_filters = [
        type(log_filter)
        for handler in logging.getLogger().handlers
        for log_filter in handler.filters
    ]
    assert PersonalDataFilter in root_filters
