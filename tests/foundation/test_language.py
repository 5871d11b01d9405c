"""One language: every main page, as each role sees it, shows Spanish and no English labels.

The pages are fetched with real data behind them (an imported roster with a rejected row, a
possible duplicate, a merge, a score) so that choice labels, column headers, filters and the
import record's details are all on screen.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import json
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands, load_command_class
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.roles import ROLE_NAMES
from assessments.models import Score
from courses.models import Cohort, Enrollment
from intake.roster_import import roster_import
from participants.models import DuplicateCandidate, Person, Sex
from review.merging.merge import person_merge
from tests.factories import (
    CohortFactory,
    DuplicateCandidateFactory,
    PersonFactory,
    SchoolFactory,
)
from tests.roster_import.files import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

REJECTED_ROW = [4, "", "", "", "40000004", "F", "", "", "", "", "", ""]

# Words that only English UI text uses (compared lower-case, as whole words). Spanish words
# that look English ("no", "a", "son", "has", "sin") are deliberately absent.
ENGLISH_WORDS = frozenset(
    """
    the and of with for from this that these those is are was were be been has not you your
    in on at by to or an it its all any each which what when where who how than then there
    add change delete save search filter view history select clear show yes none true false
    unknown persons person score scores test tests cohort cohorts enrollment enrollments
    institution institutions role region regions course courses school schools
    committed rejected pending skipped active merged survivorship import batch batches
    source record records possible duplicate duplicates merge merges split splits
    sign password username welcome logout documentation recent actions action
    female male hybrid name names status date created updated reason reasons rule rows
    summary details linked new kind level code title label outcome
    """.split()
)
# Proper nouns and data that are allowed to be English-looking.
ALLOWED = frozenset({"sha", "dni", "csv", "xlsx", "ip", "arco", "pnp", "ce", "pe"})
# Django stores permission names in English ("Can add person") and shows them as the options
# of these selects; they are data of django.contrib.auth, not labels of the registry.
PERMISSION_SELECTS = frozenset({"user_permissions", "permissions"})
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# "pre-test" and "post-test" are how Peruvian training staff name the tests (also on rosters).
LOANWORDS = re.compile(r"(?i)\b(?:pre|post)[-\s]?tests?\b|\bSingle Sign-On\b")
# The role groups are named in English in the database (accounts.roles looks them up by name);
# they are data, like the upper-case names and acronyms of rosters and reference data.
DATA_NAMES = re.compile("|".join(re.escape(name) for name in ROLE_NAMES))
UPPER_CASE = re.compile(r"\b[^\W\d_a-z]{2,}\b")
# django-axes' own admin pages (sign-in attempts) come untranslated from the package.
THIRD_PARTY_APPS = frozenset({"axes"})


class _VisibleText(HTMLParser):
    """Collect the text a user sees: text nodes, button values, titles and placeholders."""

    SKIPPED = frozenset({"script", "style", "template", "textarea"})
    VOID = frozenset({"input", "br", "img", "hr", "meta", "link", "col", "area", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool]] = []

    def _hidden(self) -> bool:
        return any(hidden for _, hidden in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in self.VOID:
            if not self._hidden():
                if tag == "input" and values.get("type") in {"submit", "button", "reset"}:
                    self.parts.append(values.get("value") or "")
                names = ["title", "placeholder", "aria-label"]
                # Django's admin writes its yes/no icons as alt="True"/"False" in any language.
                if "/admin/img/icon-" not in (values.get("src") or ""):
                    names.append("alt")
                for name in names:
                    self.parts.append(values.get(name) or "")
            return
        hidden = tag in self.SKIPPED or (
            tag == "select" and values.get("name") in PERMISSION_SELECTS
        )
        self._stack.append((tag, hidden))
        if not self._hidden():
            for name in ("title", "placeholder", "aria-label"):
                self.parts.append(values.get(name) or "")

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self._hidden():
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(part for part in parser.parts if part)


# Participant codes are random ("PE-9132F3BE"): their letters are no words.
PARTICIPANT_CODE = re.compile(r"\bPE-[0-9A-Z]{8}\b")
# Nor are the audit chain's seals (hex digests: "...7be6bb...").
HEX_DIGEST = re.compile(r"\b[0-9a-f]{32,}\b")
# Nor a password hash's random salt and digest, which the user page summarises
# ("salto: tO********"): two letters of a salt can spell "to".
HASH_SUMMARY = re.compile(r"\b(?:salto|función resumen)\s*:\s*\S+")
# Nor a command a page names, with its options ("manage.py report_cells_rebuild --pending").
MANAGE_COMMAND = re.compile(r"\bmanage\.py [\w-]+(?: --[\w-]+)*")


def english_words(text: str) -> set[str]:
    text = PARTICIPANT_CODE.sub(" ", text)
    text = HEX_DIGEST.sub(" ", text)
    text = HASH_SUMMARY.sub(" ", text)
    text = MANAGE_COMMAND.sub(" ", text)
    text = UPPER_CASE.sub(" ", DATA_NAMES.sub(" ", LOANWORDS.sub(" ", text)))
    words = {word.lower() for word in WORD.findall(text)}
    return (words & ENGLISH_WORDS) - ALLOWED


def _context(text: str, word: str) -> str:
    match = re.search(rf"(?i)(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])", text)
    assert match is not None
    return text[max(0, match.start() - 60) : match.end() + 60].replace("\n", " ")


@pytest.fixture
def registry_data(admin_user):  # type: ignore[no-untyped-def]
    """An imported roster (one rejected row), a pending pair, a merge and a score."""
    school = SchoolFactory()
    cohort = CohortFactory(school=school)
    roster_import(
        file=csv_bytes([*ROWS, REJECTED_ROW]),
        file_name="lista.csv",
        cohort=cohort,
        actor=admin_user,
        commit_valid=True,
    )
    candidate = DuplicateCandidateFactory()
    survivor, merged = PersonFactory(document_number=""), PersonFactory(document_number="")
    person_merge(survivor=survivor, merged=merged, actor=admin_user)
    return {"school": school, "cohort": cohort, "candidate": candidate}


def _assert_spanish(client: Client, urls: Iterable[str]) -> None:
    problems: list[str] = []
    for url in urls:
        response = client.get(url, follow=True)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        text = visible_text(response.content.decode())
        for word in sorted(english_words(text)):
            problems.append(f"{url}: {word!r} in “{_context(text, word)}”")
    assert not problems, "English on the pages:\n" + "\n".join(problems)


def _admin_urls(user) -> list[str]:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/admin/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in THIRD_PARTY_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model.objects.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def test_admin_pages_are_spanish_for_the_administrator(admin_user, registry_data) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    assert Enrollment.objects.exists()
    assert Score.objects.exists()
    _assert_spanish(client, _admin_urls(admin_user))


def test_review_pages_are_spanish(role_user, registry_data) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(role_user("admin"))
    candidate: DuplicateCandidate = registry_data["candidate"]
    person = candidate.person_a
    _assert_spanish(
        client,
        [
            reverse("review:queue"),
            reverse("review:pair", args=[candidate.pk]),
            reverse("review:merges"),
            reverse("review:splits"),
            reverse("review:person", args=[person.code]),
        ],
    )


def test_reports_are_spanish_for_the_analyst(role_user, registry_data) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(role_user("analyst"))
    _assert_spanish(client, [reverse("reports:dashboard"), reverse("home")])


def test_school_pages_are_spanish_for_school_staff(role_user, registry_data) -> None:  # type: ignore[no-untyped-def]
    cohort = registry_data["cohort"]
    client = Client()
    client.force_login(role_user("school", school=registry_data["school"]))
    _assert_spanish(
        client,
        [
            reverse("registration:cohorts"),
            reverse("registration:cohort_new"),
            reverse("registration:cohort", args=[cohort.pk]),
            reverse("registration:register", args=[cohort.pk]),
            reverse("registration:scores", args=[cohort.pk]),
            reverse("admin:index"),
            reverse("admin:courses_cohort_changelist"),
            reverse("admin:courses_cohort_change", args=[cohort.pk]),
            reverse("admin:courses_enrollment_changelist"),
        ],
    )


def test_import_preview_is_spanish(admin_user, cohort, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.ROSTER_PREVIEW_DIR = str(tmp_path / "previews")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:courses_cohort_import_roster", args=[cohort.pk])
    _assert_spanish(client, [url])
    upload = SimpleUploadedFile("lista.csv", csv_bytes([*ROWS, REJECTED_ROW]))
    preview = client.post(url, {"file": upload, "commit_valid": "on"})
    assert preview.status_code == 200
    text = visible_text(preview.content.decode())
    found = sorted(english_words(text))
    assert not found, [_context(text, word) for word in found]


def test_the_checker_ignores_a_password_salt() -> None:
    assert english_words("algoritmo : md5 salto : tO******** función resumen : d0aa36***") == set()


def test_the_checker_catches_english_labels() -> None:
    html = (
        "<h1>Select person to change</h1><script>var save = 1;</script>"
        '<input type="submit" value="Save"><p>Persona nueva — sí, no</p>'
    )
    assert english_words(visible_text(html)) == {"select", "person", "to", "change", "save"}


def test_load_reference_data_speaks_spanish() -> None:
    output = io.StringIO()
    call_command("load_reference_data", stdout=output)
    text = output.getvalue()
    assert text.startswith("Datos de referencia cargados:")
    assert not english_words(text)


PROJECT_APPS = frozenset(
    {"participants", "courses", "assessments", "audit", "accounts", "registry"}
)
# Options every command gets from Django, with Django's own help text.
DJANGO_OPTIONS = frozenset(
    {
        "help",
        "version",
        "verbosity",
        "settings",
        "pythonpath",
        "traceback",
        "no_color",
        "force_color",
        "skip_checks",
    }
)
# Option names, role slugs and command names are typed as they are, not translated.
# A parenthesised list of identifiers is a file's column names.
TYPED_AS_IS = re.compile(
    r"--[\w-]+|«[^»]*»|\([a-z_]+(?:, [a-z_]+)+\)|\b(?:admin|analyst|school|review_import)\b"
)


def test_every_command_help_is_spanish() -> None:
    found = {}
    for name, app in get_commands().items():
        if app not in PROJECT_APPS or name == "flush":  # flush keeps Django's own help text
            continue
        command = load_command_class(app, name)
        parser = command.create_parser("manage.py", name)
        texts = [str(command.help)] + [
            str(action.help)
            for action in parser._actions
            if action.help and action.dest not in DJANGO_OPTIONS
        ]
        words = set().union(*(english_words(TYPED_AS_IS.sub(" ", text)) for text in texts))
        if words:
            found[name] = words
    assert found == {}


CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def _po_entries(path: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) of each entry of a .po file; a small parser for the checks."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith(("msgid", "msgstr")):
                key, _, rest = line.partition(" ")
                fields[key] = json.loads(rest)
            elif line.startswith('"') and key:
                fields[key] += json.loads(line)
        if fields.get("msgid"):
            strs = [value for name, value in fields.items() if name.startswith("msgstr")]
            entries.append((fields["msgid"], strs, "#, fuzzy" in block or ", fuzzy" in block))
    return entries


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = _po_entries(CATALOGUE / "django.po")
    assert len(entries) > 200
    assert [msgid for msgid, strs, fuzzy in entries if fuzzy] == []
    assert [msgid for msgid, strs, fuzzy in entries if not all(strs)] == []


def test_the_compiled_catalogue_matches_the_po() -> None:
    catalogue = gettext_module.GNUTranslations((CATALOGUE / "django.mo").open("rb"))
    for msgid, strs, _fuzzy in _po_entries(CATALOGUE / "django.po"):
        if len(strs) == 1:
            assert catalogue.gettext(msgid) == strs[0], msgid


def test_es_pe_uses_the_project_catalogue() -> None:
    with translation.override("es-pe"):
        assert str(Person._meta.verbose_name_plural) == "personas"
        assert str(Sex.FEMALE.label) == "Mujer"


def test_admin_messages_name_the_model_without_a_wrong_article() -> None:
    """Django's Spanish catalogue writes "El persona", "El cohorte"; ours, which the admin
    reads first, names the model without an article."""
    with translation.override("es"):
        added = translation.gettext("The {name} “{obj}” was added successfully.")
        changed = translation.gettext("The {name} “{obj}” was changed successfully.")
        deleted = translation.gettext("The %(name)s “%(obj)s” was deleted successfully.")
        cohort = str(Cohort._meta.verbose_name)
    assert added.format(name=cohort, obj="2024-I") == "Se agregó cohorte «2024-I» correctamente."
    assert (
        changed.format(name=cohort, obj="2024-I") == "Se guardaron los cambios de cohorte «2024-I»."
    )
    assert deleted % {"name": cohort, "obj": "2024-I"} == "Se eliminó cohorte «2024-I»."
