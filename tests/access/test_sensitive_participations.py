"""What a sensitive participation (a course for trafficking survivors, `accounts.access.sensitive`)
reveals to each role: the registry administrator without and with the permission, the analyst,
the staff of the school that ran the course and the staff of another school; and the person's
own access request, which shows it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.access.rows import enrollments_visible_to, scores_visible_to
from accounts.access.sensitive import can_see_participations_in, sees_every_sensitive
from accounts.roles import ADMINISTRATOR, roles_setup
from audit.models import AuditAction, AuditEvent
from courses.models import Course, Indicator, IndicatorLevel
from data_requests.access import person_data_export
from participants.models import RecordSource
from registry.reports.exports import participation_rows, participations_xlsx
from registry.reports.filters import ReportFilters
from review.spreadsheet import review_sheet_rows
from tests.factories import (
    CohortFactory,
    CourseFactory,
    DuplicateCandidateFactory,
    EnrollmentFactory,
    ImportBatchFactory,
    PersonFactory,
    SchoolFactory,
    ScoreFactory,
    SourceRecordFactory,
    identity_record_of_row,
)

pytestmark = pytest.mark.django_db

SURVIVORS = "Emprendimiento para sobrevivientes y adolescentes en riesgo"
ORDINARY = "Investigación del delito de trata"
RESERVED = "1 participación reservada"


@pytest.fixture
def world(role_user):  # type: ignore[no-untyped-def]
    """Sofía took the survivors' course of school S and an ordinary course of school O."""
    school_s, school_o = SchoolFactory(acronym="ESS"), SchoolFactory(acronym="ESO")
    survivors = CourseFactory(title=SURVIVORS, component="protection", sensitive=True)
    ordinary = CourseFactory(title=ORDINARY)
    cohort_s = CohortFactory(course=survivors, school=school_s, label="2023-LIMA-01")
    cohort_o = CohortFactory(course=ordinary, school=school_o, label="2023-CUSCO-02")
    sofia = PersonFactory(given_names="Sofía", paternal_surname="Huamaní")
    enrollment_s = EnrollmentFactory(person=sofia, cohort=cohort_s)
    enrollment_o = EnrollmentFactory(person=sofia, cohort=cohort_o)
    score_s = ScoreFactory(enrollment=enrollment_s)
    batch_s = ImportBatchFactory(cohort=cohort_s, file_name="sobrevivientes_lima.xlsx")
    row_s = SourceRecordFactory(batch=batch_s, person=sofia, enrollment=enrollment_s)
    record_s = identity_record_of_row(
        row=row_s,
        person=sofia,
        source=RecordSource.ROSTER_ROW,
        given_names="Sofía",
        paternal_surname="Huamaní",
    )
    # A possible duplicate of Sofía, for the review pages.
    twin = PersonFactory(given_names="Sofia", paternal_surname="Huamani")
    EnrollmentFactory(person=twin, cohort=cohort_o)
    pair = DuplicateCandidateFactory(person_a=sofia, person_b=twin)

    holder = role_user("admin", username="holder")
    holder.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="courses", codename="view_sensitive_participation"
        )
    )
    return {
        "cohort_s": cohort_s,
        "cohort_o": cohort_o,
        "survivors": survivors,
        "sofia": sofia,
        "twin": twin,
        "enrollment_s": enrollment_s,
        "enrollment_o": enrollment_o,
        "score_s": score_s,
        "batch_s": batch_s,
        "row_s": row_s,
        "record_s": record_s,
        "pair": pair,
        "admin": role_user("admin", username="admin"),
        "holder": holder,
        "analyst": role_user("analyst", username="analyst"),
        "staff_s": role_user("school", school=school_s, username="staff-s"),
        "staff_o": role_user("school", school=school_o, username="staff-o"),
    }


def _get(client: Any, user: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    client.force_login(user)
    return client.get(url, data or {})


# --- who holds the permission -------------------------------------------------------------


def test_no_role_holds_the_permission_and_a_grant_to_a_named_user_does(world) -> None:  # type: ignore[no-untyped-def]
    roles_setup()
    group_codenames = Permission.objects.filter(group__name=ADMINISTRATOR).values_list(
        "codename", flat=True
    )
    assert "view_sensitive_participation" not in group_codenames
    assert "change_course" in group_codenames  # "courses.*" still gives the rest
    assert not any(
        sees_every_sensitive(world[role]) for role in ("admin", "analyst", "staff_s", "staff_o")
    )
    assert sees_every_sensitive(world["holder"])
    # roles_setup sets groups only: a user's own grant survives it.
    roles_setup()
    world["holder"].__dict__.pop("_perm_cache", None)
    world["holder"].__dict__.pop("_user_perm_cache", None)
    assert sees_every_sensitive(world["holder"])


@pytest.mark.parametrize(
    ("role", "sees"),
    [("admin", False), ("holder", True), ("analyst", False), ("staff_s", True), ("staff_o", False)],
)
def test_who_sees_the_participations_of_the_survivors_cohort(world, role, sees) -> None:  # type: ignore[no-untyped-def]
    user = world[role]
    assert can_see_participations_in(user, world["cohort_s"]) is sees
    assert enrollments_visible_to(user).filter(pk=world["enrollment_s"].pk).exists() is sees
    assert scores_visible_to(user).filter(pk=world["score_s"].pk).exists() is sees


def test_a_course_is_sensitive_through_its_indicator(world) -> None:  # type: ignore[no-untyped-def]
    indicator = Indicator.objects.create(
        level=IndicatorLevel.OUTPUT, code="9.9.9.9", kind="participants", unit="#", name="x"
    )
    course = world["cohort_o"].course
    course.indicators.add(indicator)
    assert can_see_participations_in(world["admin"], world["cohort_o"])
    indicator.sensitive = True
    indicator.save()
    assert not can_see_participations_in(world["admin"], world["cohort_o"])
    assert not enrollments_visible_to(world["admin"]).filter(person=world["sofia"]).exists()


# --- the person's admin page ---------------------------------------------------------------


def test_the_person_page_hides_the_participation_from_an_administrator_without_it(  # type: ignore[no-untyped-def]
    client, world
) -> None:
    url = reverse("admin:participants_person_change", args=[world["sofia"].pk])
    page = _get(client, world["admin"], url)
    assert page.status_code == 200
    content = page.content.decode()
    assert ORDINARY in content
    assert SURVIVORS not in content
    assert "sobrevivientes_lima.xlsx" not in content  # its roster row
    records = page.context["inline_admin_formsets"][2].formset.queryset
    assert world["record_s"] not in records  # the identity record that row made

    content = _get(client, world["holder"], url).content.decode()
    assert SURVIVORS in content
    assert "sobrevivientes_lima.xlsx" in content


def test_the_running_school_sees_it_and_another_school_does_not(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:participants_person_change", args=[world["sofia"].pk])
    assert SURVIVORS in _get(client, world["staff_s"], url).content.decode()
    page = _get(client, world["staff_o"], url)
    assert page.status_code == 200  # Sofía is school O's participant too
    assert SURVIVORS not in page.content.decode()
    assert ORDINARY in page.content.decode()


def test_the_analyst_opens_no_person_page(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:participants_person_change", args=[world["sofia"].pk])
    assert SURVIVORS not in _get(client, world["analyst"], url).content.decode()


def test_a_filter_of_persons_by_course_is_refused(client, world) -> None:  # type: ignore[no-untyped-def]
    page = _get(
        client,
        world["admin"],
        reverse("admin:participants_person_changelist"),
        {"enrollments__cohort__course__id__exact": world["survivors"].pk},
    )
    # Django answers a lookup the admin does not allow with a 400, not a filtered list.
    assert page.status_code == 400


@pytest.mark.parametrize(
    ("page", "key"),
    [
        ("admin:courses_enrollment_change", "enrollment_s"),
        ("admin:assessments_score_change", "score_s"),
        ("admin:courses_importbatch_change", "batch_s"),
        ("admin:courses_sourcerecord_change", "row_s"),
    ],
)
def test_its_rows_are_not_found_by_their_id(client, world, page, key) -> None:  # type: ignore[no-untyped-def]
    url = reverse(page, args=[world[key].pk])
    assert _get(client, world["admin"], url).status_code == 404
    assert _get(client, world["holder"], url).status_code == 200


@pytest.mark.parametrize(
    "changelist",
    [
        "admin:courses_enrollment_changelist",
        "admin:assessments_score_changelist",
        "admin:courses_importbatch_changelist",
        "admin:courses_sourcerecord_changelist",
    ],
)
def test_its_rows_are_not_listed(client, world, changelist) -> None:  # type: ignore[no-untyped-def]
    url = reverse(changelist)
    listed = _get(client, world["admin"], url).context["cl"].result_list
    assert not any(
        row in listed
        for row in (world["enrollment_s"], world["score_s"], world["batch_s"], world["row_s"])
    )
    # A filter by the course lists nothing either.
    if changelist == "admin:courses_enrollment_changelist":
        filtered = _get(
            client, world["admin"], url, {"cohort__course__id__exact": world["survivors"].pk}
        )
        assert list(filtered.context["cl"].result_list) == []


def test_the_raw_id_label_names_no_hidden_enrollment(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:assessments_score_add")
    page = _get(client, world["admin"], url, {"enrollment": world["enrollment_s"].pk})
    assert "2023-LIMA-01" not in page.content.decode()
    page = _get(client, world["holder"], url, {"enrollment": world["enrollment_s"].pk})
    assert "2023-LIMA-01" in page.content.decode()


@pytest.mark.parametrize(
    ("role", "sees"), [("admin", False), ("holder", True), ("staff_s", True), ("staff_o", False)]
)
def test_the_autocomplete_answers_only_what_the_user_may_see(client, world, role, sees) -> None:  # type: ignore[no-untyped-def]
    answer = _get(
        client,
        world[role],
        reverse("admin:autocomplete"),
        {"app_label": "assessments", "model_name": "score", "field_name": "enrollment"},
    )
    ids = {result["id"] for result in answer.json()["results"]}
    assert (str(world["enrollment_s"].pk) in ids) is sees


def test_a_roster_cannot_be_imported_into_the_cohort_without_it(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("admin:courses_cohort_import_roster", args=[world["cohort_s"].pk])
    assert _get(client, world["admin"], url).status_code == 403
    assert AuditEvent.objects.filter(action=AuditAction.PERMISSION_DENIED).exists()
    assert _get(client, world["holder"], url).status_code == 200


def test_marking_a_course_sensitive_in_the_admin_is_audited(client, world) -> None:  # type: ignore[no-untyped-def]
    course = world["cohort_o"].course
    client.force_login(world["holder"])
    response = client.post(
        reverse("admin:courses_course_change", args=[course.pk]),
        {"title": course.title, "component": course.component, "provider": "", "sensitive": "on"},
    )
    assert response.status_code == 302
    assert Course.objects.get(pk=course.pk).sensitive
    (event,) = AuditEvent.objects.filter(action=AuditAction.SENSITIVITY_CHANGE)
    assert event.details["sensitive"] is True
    assert event.details["before"] is False
    assert event.actor == world["holder"]


# --- the review pages ----------------------------------------------------------------------


def test_the_pair_page_counts_what_it_hides(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("review:pair", args=[world["pair"].pk])
    content = _get(client, world["admin"], url).content.decode()
    assert SURVIVORS not in content
    assert "sobrevivientes_lima.xlsx" not in content
    assert ORDINARY in content
    assert RESERVED in content  # the reviewer knows Sofía has more than is shown

    content = _get(client, world["holder"], url).content.decode()
    assert SURVIVORS in content
    assert "reservada" not in content


def test_the_person_review_page_counts_what_it_hides(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("review:person", args=[world["sofia"].code])
    content = _get(client, world["admin"], url).content.decode()
    assert SURVIVORS not in content
    assert RESERVED in content


def test_the_queue_neither_offers_nor_applies_a_filter_by_the_course(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("review:queue")
    page = _get(client, world["admin"], url)
    assert world["survivors"] not in page.context["courses"]
    filtered = _get(client, world["admin"], url, {"course": world["survivors"].pk})
    assert list(filtered.context["page_obj"].object_list) == []
    filtered = _get(client, world["holder"], url, {"course": world["survivors"].pk})
    assert list(filtered.context["page_obj"].object_list) == [world["pair"]]


def test_the_split_page_shows_the_record_without_its_row(client, world) -> None:  # type: ignore[no-untyped-def]
    from participants.models import SplitCandidate

    candidate = SplitCandidate.objects.create(person=world["sofia"])
    url = reverse("review:split", args=[candidate.pk])
    content = _get(client, world["admin"], url).content.decode()
    assert "fila de una participación reservada" in content
    assert SURVIVORS not in content
    assert "sobrevivientes_lima.xlsx" not in content
    assert SURVIVORS in _get(client, world["holder"], url).content.decode()


def test_the_review_spreadsheet_counts_the_reserved_participation(world) -> None:  # type: ignore[no-untyped-def]
    (row,) = list(review_sheet_rows())
    courses_of_sofia = row[9] if row[1] == world["sofia"].code else row[10]
    assert SURVIVORS not in courses_of_sofia
    assert RESERVED in courses_of_sofia
    (row,) = list(review_sheet_rows(viewer=world["holder"]))
    assert SURVIVORS in " ".join(str(cell) for cell in row)


# --- the school's registration pages -------------------------------------------------------


def test_the_registration_pages(client, world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("registration:cohort", args=[world["cohort_s"].pk])
    own = _get(client, world["staff_s"], url)
    assert own.status_code == 200
    assert "Sofía" in own.content.decode()
    assert _get(client, world["staff_o"], url).status_code == 404
    # School O's own cohort lists Sofía, and nothing of her other course.
    other = _get(
        client, world["staff_o"], reverse("registration:cohort", args=[world["cohort_o"].pk])
    )
    assert SURVIVORS not in other.content.decode()


# --- exports -------------------------------------------------------------------------------


def _codes_and_courses(rows: Any) -> list[tuple[str, str]]:
    return [(row[0], row[2]) for row in rows]


def test_the_participation_rows_leave_it_out_unless_the_reader_may_see_it(world) -> None:  # type: ignore[no-untyped-def]
    filters = ReportFilters()
    code = world["sofia"].code
    for reader in (None, world["analyst"], world["admin"], world["staff_s"]):
        assert (code, SURVIVORS) not in _codes_and_courses(
            participation_rows(filters=filters, viewer=reader)
        )
        assert (code, ORDINARY) in _codes_and_courses(participation_rows(filters=filters))
    assert (code, SURVIVORS) in _codes_and_courses(
        participation_rows(filters=filters, viewer=world["holder"])
    )


def test_the_workbook_says_participations_were_left_out(world) -> None:  # type: ignore[no-untyped-def]
    workbook = load_workbook(io.BytesIO(participations_xlsx(filters=ReportFilters())))
    about = [[cell for cell in row if cell is not None] for row in workbook.worksheets[0].values]
    (line,) = [row for row in about if row and row[0] == "Participaciones reservadas"]
    # One is too few to give exactly: "menos de 10".
    assert "menos de 10 participaciones en cursos reservados" in line[1]
    rows = list(workbook.worksheets[1].values)
    assert SURVIVORS not in [row[2] for row in rows]
    holder_book = load_workbook(
        io.BytesIO(participations_xlsx(filters=ReportFilters(), viewer=world["holder"]))
    )
    assert not any(
        row and row[0] == "Participaciones reservadas" for row in holder_book.worksheets[0].values
    )


def test_the_analysts_download_leaves_it_out(client, world) -> None:  # type: ignore[no-untyped-def]
    response = _get(client, world["analyst"], reverse("reports:participations", args=["csv"]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert SURVIVORS not in body
    assert ORDINARY in body


def test_a_holder_of_the_permission_downloads_it_from_the_dashboard(client, world) -> None:  # type: ignore[no-untyped-def]
    response = _get(client, world["holder"], reverse("reports:participations", args=["csv"]))
    body = b"".join(response.streaming_content).decode("utf-8")
    assert SURVIVORS in body
    admin = _get(client, world["admin"], reverse("reports:participations", args=["csv"]))
    assert SURVIVORS not in b"".join(admin.streaming_content).decode("utf-8")


def test_the_command_leaves_it_out_and_says_so(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    output = tmp_path / "participaciones.csv"
    stderr = io.StringIO()
    call_command("export_participations", "--output", str(output), stderr=stderr)
    rows = list(csv.DictReader(io.StringIO(output.read_text("utf-8").removeprefix("\ufeff"))))
    assert [row["Curso"] for row in rows].count(ORDINARY) == 2
    assert SURVIVORS not in [row["Curso"] for row in rows]
    assert "participaciones en cursos reservados" in stderr.getvalue()
    assert "1 participaciones escritas" not in stderr.getvalue()
    assert "2 participaciones escritas" in stderr.getvalue()


# --- the person's own access request -------------------------------------------------------


def test_the_persons_access_request_shows_it(world) -> None:  # type: ignore[no-untyped-def]
    data = person_data_export(person=world["sofia"], actor=world["admin"])
    assert SURVIVORS in [enrollment["course"] for enrollment in data["enrollments"]]
    assert world["enrollment_s"].pk in [score["enrollment"] for score in data["scores"]]
    assert "sobrevivientes_lima.xlsx" in json.dumps(data["source_records"], default=str)


def test_consents_given_in_the_cohort_are_not_listed(client, world) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from accounts.models import Consent, ContactConsent, ContactConsentSource

    def consent(cohort: Any) -> Consent:
        return Consent.objects.create(
            person=world["sofia"],
            cohort=cohort,
            school=cohort.school if cohort else None,
            given_at=timezone.now(),
            text_version="v1",
            text_sha256="0" * 64,
        )

    in_survivors, in_ordinary, in_none = (
        consent(world["cohort_s"]),
        consent(world["cohort_o"]),
        consent(None),
    )
    from_row = ContactConsent.objects.create(
        person=world["sofia"],
        granted=True,
        given_at=timezone.now(),
        source=ContactConsentSource.ROSTER,
        source_record=world["row_s"],
    )
    listed = _get(client, world["admin"], reverse("admin:accounts_consent_changelist"))
    assert set(listed.context["cl"].result_list) == {in_ordinary, in_none}
    listed = _get(client, world["admin"], reverse("admin:accounts_contactconsent_changelist"))
    assert from_row not in listed.context["cl"].result_list
    listed = _get(client, world["holder"], reverse("admin:accounts_consent_changelist"))
    assert in_survivors in listed.context["cl"].result_list


def test_a_guardian_consent_given_in_the_cohort_is_not_listed(client, world) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from accounts.models import GuardianConsent

    def guardian(cohort: Any) -> GuardianConsent:
        return GuardianConsent.objects.create(
            person=world["sofia"],
            cohort=cohort,
            guardian_name="Madre de prueba",
            guardian_relationship="mother",
            given_at=timezone.now(),
            text_version="v1",
            text_sha256="0" * 64,
            source="admin",
        )

    in_survivors, in_ordinary = guardian(world["cohort_s"]), guardian(world["cohort_o"])
    url = reverse("admin:accounts_guardianconsent_changelist")
    listed = _get(client, world["admin"], url)
    assert list(listed.context["cl"].result_list) == [in_ordinary]
    held = _get(client, world["holder"], url)
    assert set(held.context["cl"].result_list) == {in_survivors, in_ordinary}
