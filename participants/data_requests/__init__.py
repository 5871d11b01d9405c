"""Data subject requests (Ley 29733): access, rectification and cancellation of one person.

`access`, `rectification` and `cancellation` hold one service each (the cancellation module
records what cancellation keeps and why); `redaction` removes a person's values from stored
roster rows; `traces` says what identifies a person in data not linked to them, and
`elsewhere` looks for it there (rejected rows, other rows, the admin log, sessions, sign-in
throttling records); `admin` adds the request pages to the person admin for administrators.
"""

from participants.data_requests.access import person_data_export
from participants.data_requests.cancellation import (
    CANCELLED_NAME,
    CancellationReport,
    person_cancel,
)
from participants.data_requests.common import RECTIFIABLE_FIELDS, DataRequestError
from participants.data_requests.rectification import person_rectify

__all__ = [
    "CANCELLED_NAME",
    "RECTIFIABLE_FIELDS",
    "CancellationReport",
    "DataRequestError",
    "person_cancel",
    "person_data_export",
    "person_rectify",
]
