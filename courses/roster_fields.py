"""The fields a roster column can be read as, named as the user reads them.

Apart from the import (`intake.roster_import`), so that the column profile model can use
them without importing the import itself.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PRE_SCORE = "pre_score"
POST_SCORE = "post_score"
# A column profile's "do not import this column, and do not warn about it again".
IGNORE = "ignore"

# Canonical field -> its name in the preview, the report and the column profile.
FIELD_LABELS = {
    "given_names": _("given names"),
    "paternal_surname": _("paternal surname"),
    "maternal_surname": _("maternal surname"),
    "surnames": _("surnames (paternal and maternal, in one cell)"),
    "full_name": _("surnames and given names, in one cell"),
    "full_name_given_first": _("given names and surnames, in one cell"),
    "dni": _("DNI"),
    "document_type": _("document type"),
    "sex": _("sex"),
    "institution": _("institution"),
    "role": _("role"),
    "region": _("region"),
    "email": _("email"),
    "phone": _("phone"),
    "birth_date": _("birth date"),
    PRE_SCORE: _("pre-test score"),
    POST_SCORE: _("post-test score"),
}
# The choices of a column profile: a field, or "do not import".
PROFILE_CHOICES = [*FIELD_LABELS.items(), (IGNORE, _("do not import (and do not warn again)"))]
TEST_NAMES = {PRE_SCORE: _("pre-test"), POST_SCORE: _("post-test")}
