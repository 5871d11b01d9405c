"""Roster import: a partner's CSV/XLSX roster -> persons, enrollments, scores and provenance.

reading (bytes -> header + rows) -> columns (what each column is read as, set aside or left
unread; the cohort's column `profiles`) -> staging (typed rows, problems, raw cells) -> planning
(idempotency, scales, `participants.matching.match_rows`, vocabularies) -> committing (one
transaction) -> report (per row and in total). `roster_import` is the service callers use.
"""

from intake.roster_import.committing import roster_import
from intake.roster_import.report import ImportReport
from spreadsheets.reading import RosterFileError

__all__ = ["ImportReport", "RosterFileError", "roster_import"]
