"""Keeps personal data out of the application log.

Nothing in the registry logs roster values on purpose, but an error's text can carry them (a
database error names the duplicate key: "Key (document_type, document_number)=(dni, ...)").
This filter, on every handler that writes the log, blanks what looks like a DNI, an e-mail
address or a phone number in the message, the traceback and the stack, before any handler
formats the record.
"""

from __future__ import annotations

import logging
import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Peruvian mobiles and landlines as partners write them: 987654321, +51 987 654 321, (01) 4567890.
_PHONE = re.compile(
    r"(?<![\w])(?:\+?51[\s-]?)?(?:9\d{2}[\s-]?\d{3}[\s-]?\d{3}|\(0\d{1,2}\)\s?\d{6,7})(?!\d)"
)
# A DNI is eight digits; longer runs of digits are left alone (they are not one).
_DNI = re.compile(r"(?<!\d)\d{8}(?!\d)")


def redact(text: str) -> str:
    """`text` with e-mail addresses, phone numbers and DNIs replaced by a placeholder."""
    text = _EMAIL.sub("[correo]", text)
    text = _PHONE.sub("[teléfono]", text)
    return _DNI.sub("[DNI]", text)


class PersonalDataFilter(logging.Filter):
    """Rewrites each record in place, so every handler after it sees the redacted text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string: log it as written
            message = str(record.msg)
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            # The formatter uses exc_text when it is set instead of formatting exc_info.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
