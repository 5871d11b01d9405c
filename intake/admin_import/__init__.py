"""The roster import pages: upload, read the preview, then confirm (the whole file, or only
its valid rows when some are rejected).

Two pages run the same steps (`pages`): the cohort's admin page (`mixin`) and the school's
own cohort page (`school`). A page only carries the file between the two steps;
`roster_import` does the work, once as a dry run for the preview and once for real. Between
the steps the uploaded bytes and the preview's rows wait in `intake.roster_import.previews`
(a private folder, never longer than the session); the user's session holds a random token
that maps to them and to the file's SHA-256, so a user can only confirm a file they uploaded
and exactly the bytes they previewed. The preview's pages
(`?preview=<token>&outcome=...&page=...`) read the same kept rows, so paging never imports
or matches anything again.
"""

from intake.admin_import.mixin import RosterImportAdminMixin
from intake.admin_import.pages import IMPORT_PERMISSION
from intake.roster_import.previews import SESSION_KEY

__all__ = ["IMPORT_PERMISSION", "SESSION_KEY", "RosterImportAdminMixin"]
