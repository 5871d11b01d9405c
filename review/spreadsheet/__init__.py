"""The review queue as a spreadsheet: export the open pairs, import the reviewers' decisions.

The export (`review_export`) lists what the review page lists as its queue
(`candidate_queue`), one row per pair, with an empty `decision` column. The import
(`review_import`) applies the filled-in decisions through the review page's own service
(`candidate_decide`: a "same" merges reversibly and is audited), one row per transaction, and
leaves alone - reporting them - the rows it cannot trust: a pair decided since, a pair whose
persons changed (merged, cancelled) since the export, an unknown pair id or decision word, a
merge the service refuses. Running it again changes nothing.

- `files`: the sheet's columns and writing it (CSV or XLSX by extension, every cell escaped).
- `reading`: reading a filled sheet back within the roster reader's file limits.
- `export`: the rows and the audited export.
- `decisions`: the decision words, the actor check and the import.
"""

from review.spreadsheet.decisions import (
    ALREADY,
    ERROR,
    STALE,
    ImportReport,
    ReviewImportError,
    RowIssue,
    decision_word,
    review_actor,
    review_import,
)
from review.spreadsheet.export import review_export, review_sheet_rows
from review.spreadsheet.files import COLUMNS, SheetError

__all__ = [
    "ALREADY",
    "COLUMNS",
    "ERROR",
    "STALE",
    "ImportReport",
    "ReviewImportError",
    "RowIssue",
    "SheetError",
    "decision_word",
    "review_actor",
    "review_export",
    "review_import",
    "review_sheet_rows",
]
