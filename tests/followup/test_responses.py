"""Importing a wave's responses from ODK Central, LimeSurvey and KoboToolbox exports."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta
from io import StringIO
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import ContactConsent, ContactConsentSource
from audit.models import AuditAction, AuditEvent
from courses.models import Enrollment
from followup.models import MemberStatus, QuestionKind, ReportedPost, SurveyResponse, WaveMember
from followup.posts import reported_posts_latest
from followup.responses import Outcome, responses_import, responses_preview
from followup.responses.reading import ResponseFileError
from participants.models import Institution, InstitutionAlias, Region, RegionAlias
from participants.names import fold
from tests.factories import EnrollmentFactory, UserFactory
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db

TODAY = date(2025, 4, 1)


def _csv(rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def setup() -> dict[str, Any]:
    wave = wave_make()
    question_make(wave, "aplica", QuestionKind.YES_NO)
    question_make(wave, "casos", QuestionKind.NUMBER)
    question_make(wave, "comentario", QuestionKind.TEXT)
    stratum = stratum_make(wave, "todo", 100)
    members = [member_make(stratum, token=f"tk{n}") for n in range(4)]
    institution = Institution.objects.order_by("pk").first()
    InstitutionAlias.objects.update_or_create(
        key=fold("Fiscalía de Prueba"), defaults={"institution": institution}
    )
    region = Region.objects.order_by("pk").first()
    RegionAlias.objects.update_or_create(key=fold("Región de Prueba"), defaults={"region": region})
    return {
        "wave": wave,
        "members": members,
        "institution": institution,
        "region": region,
        "user": UserFactory(username="importador"),
    }


def _import(setup: dict[str, Any], data: bytes, name: str, confirm: bool = True) -> Any:
    return responses_import(
        setup["wave"], data, file_name=name, actor=setup["user"], confirm=confirm, today=TODAY
    )


def test_odk_central_csv_round_trip(setup: dict[str, Any]) -> None:
    data = _csv(
        [
            [
                "SubmissionDate",
                "grp-token",
                "grp-aplica",
                "grp-casos",
                "grp-comentario",
                "grp-institucion_actual",
                "meta-instanceID",
                "KEY",
                "ReviewState",
            ],
            [
                "2025-03-01T14:22:11.123Z",
                "tk0",
                "1",
                "3",
                "bien",
                "Fiscalía de Prueba",
                "uuid:a",
                "uuid:a",
                "",
            ],
            [
                "2025-03-02T09:00:00.000Z",
                "tk1",
                "0",
                "2,5",
                "",
                "Otra Entidad",
                "uuid:b",
                "uuid:b",
                "",
            ],
        ]
    )
    preview = _import(setup, data, "odk.csv")
    assert preview.columns.tool == "ODK Central"
    assert preview.committed
    first, second = (SurveyResponse.objects.get(member=m) for m in setup["members"][:2])
    assert first.answers == {"aplica": True, "casos": 3.0, "comentario": "bien"}
    assert first.responded_on == date(2025, 3, 1)
    assert (first.source_file, first.source_row) == ("odk.csv", 2)
    assert second.answers == {"aplica": False, "casos": 2.5}
    assert first.post.institution == setup["institution"]
    assert first.post.reported_on == date(2025, 3, 1)
    # A spelling the vocabulary does not know is kept as written, for mapping later.
    assert second.post.institution is None
    assert second.post.institution_text == "Otra Entidad"
    assert "no está en el vocabulario" in " ".join(preview.rows[1].notes)
    statuses = set(
        WaveMember.objects.filter(response__isnull=False).values_list("status", flat=True)
    )
    assert statuses == {MemberStatus.RESPONDED}


def test_limesurvey_csv_round_trip(setup: dict[str, Any]) -> None:
    data = _csv(
        [
            [
                "id",
                "token",
                "submitdate",
                "lastpage",
                "startlanguage",
                "aplica",
                "casos",
                "region_actual",
            ],
            ["7", "tk2", "2025-03-05 10:11:12", "3", "es", "Y", "4", "Región de Prueba"],
        ]
    )
    preview = _import(setup, data, "lime.csv")
    assert preview.columns.tool == "LimeSurvey"
    response = SurveyResponse.objects.get(member=setup["members"][2])
    assert response.answers == {"aplica": True, "casos": 4.0}
    assert response.responded_on == date(2025, 3, 5)
    assert response.post.region == setup["region"]


def test_kobo_xlsx_by_participant_code_round_trip(setup: dict[str, Any]) -> None:
    member = setup["members"][3]
    data = _xlsx(
        [
            [
                "_id",
                "_submission_time",
                "grupo/codigo_participante",
                "grupo/aplica",
                "grupo/casos",
                "_uuid",
                "_validation_status",
            ],
            [101, datetime(2025, 3, 9, 8, 30), member.person.code, "no", 0, "u-1", ""],
        ]
    )
    preview = _import(setup, data, "kobo.xlsx")
    assert preview.columns.tool == "KoboToolbox"
    assert preview.file_format == "xlsx"
    response = SurveyResponse.objects.get(member=member)
    assert response.answers == {"aplica": False, "casos": 0.0}
    assert response.responded_on == date(2025, 3, 9)
    assert not ReportedPost.objects.filter(response=response).exists()


def test_preview_writes_nothing_and_names_row_and_column(setup: dict[str, Any]) -> None:
    data = _csv(
        [
            ["token", "submitdate", "aplica", "casos"],
            ["tk0", "2025-03-01", "quizás", "3"],
            ["tk1", "2025-03-01", "sí", "muchos"],
            ["nadie", "2025-03-01", "1", "1"],
            ["", "2025-03-01", "1", "1"],
            ["tk2", "2025-03-01", "1", "1"],
            ["tk2", "2025-03-02", "0", "1"],
            ["tk3", "2099-01-01", "1", "1"],
        ]
    )
    preview = _import(setup, data, "lime.csv", confirm=False)
    assert not SurveyResponse.objects.exists()
    assert [row.outcome for row in preview.rows] == [
        Outcome.INVALID,
        Outcome.INVALID,
        Outcome.UNKNOWN,
        Outcome.NO_KEY,
        Outcome.NEW,
        Outcome.REPEATED,
        Outcome.INVALID,
    ]
    lines = preview.lines()
    assert "Fila 2: valores con problemas - aplica: «quizás» no es sí ni no" in lines
    assert "Fila 3: valores con problemas - casos: «muchos» no es un número" in lines
    assert (
        "Fila 4: token o código desconocido - «nadie» no es un token ni un código de esta ola"
        in lines
    )
    assert any(
        line.startswith("Fila 7: repetida en el archivo - ") and "fila 6" in line for line in lines
    )
    assert any(
        line.startswith("Fila 8:") and "submitdate: fecha «2099-01-01» posterior a hoy" in line
        for line in lines
    )
    assert preview.missing_questions == ["comentario"]
    assert preview.summary.endswith("Se importarían 1 respuestas.")


def test_already_answered_is_not_imported_twice(setup: dict[str, Any]) -> None:
    data = _csv([["token", "aplica"], ["tk0", "1"]])
    _import(setup, data, "a.csv")
    again = _import(setup, _csv([["token", "aplica"], ["tk0", "0"]]), "b.csv")
    assert again.rows[0].outcome == Outcome.ANSWERED
    assert "ya respondió" in again.rows[0].reason
    assert SurveyResponse.objects.get().answers == {"aplica": True}


def test_a_file_without_a_key_column_is_refused(setup: dict[str, Any]) -> None:
    with pytest.raises(ResponseFileError, match="token"):
        responses_preview(setup["wave"], _csv([["aplica", "casos"], ["1", "2"]]), file_name="x.csv")


def test_commit_is_atomic(setup: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    data = _csv(
        [
            ["token", "aplica", "institucion_actual"],
            ["tk0", "1", "Fiscalía de Prueba"],
            ["tk1", "0", "Fiscalía de Prueba"],
        ]
    )
    created = ReportedPost.objects.create
    calls: list[int] = []

    def failing(**fields: Any) -> ReportedPost:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disco lleno")
        return created(**fields)

    monkeypatch.setattr(ReportedPost.objects, "create", failing)
    with pytest.raises(RuntimeError):
        _import(setup, data, "a.csv")
    assert len(calls) == 2
    assert not SurveyResponse.objects.exists()
    assert not ReportedPost.objects.exists()
    assert not WaveMember.objects.filter(status=MemberStatus.RESPONDED).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IMPORT).exists()


def test_commit_is_audited(setup: dict[str, Any]) -> None:
    _import(setup, _csv([["token", "aplica"], ["tk0", "1"], ["zz", "1"]]), "a.csv")
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.actor == setup["user"]
    assert event.object_id == str(setup["wave"].pk)
    assert event.details["kind"] == "survey_responses"
    assert event.details["imported"] == 1
    assert event.details["outcomes"] == {"new": 1, "unknown": 1}


def test_reported_post_becomes_last_known_post_without_touching_enrollments(
    setup: dict[str, Any],
) -> None:
    member = setup["members"][0]
    enrollment = EnrollmentFactory(person=member.person, institution_text="Antes")
    _import(
        setup,
        _csv([["token", "aplica", "institucion_actual"], ["tk0", "1", "Fiscalía de Prueba"]]),
        "a.csv",
    )
    latest = reported_posts_latest([member.person_id])[member.person_id]
    assert latest.institution == setup["institution"]
    assert latest.reported_on == TODAY  # no date in the file: the import's day
    enrollment.refresh_from_db()
    assert enrollment.institution_id is None
    assert enrollment.institution_text == "Antes"
    assert Enrollment.objects.count() == 1


def _consent(person: Any, granted: bool, when: datetime) -> None:
    ContactConsent.objects.create(
        person=person,
        granted=granted,
        given_at=timezone.make_aware(when),
        source=ContactConsentSource.ADMIN,
    )


def test_a_response_after_withdrawal_is_refused(setup: dict[str, Any]) -> None:
    member = setup["members"][0]
    _consent(member.person, True, datetime(2024, 1, 1))
    _consent(member.person, False, datetime(2025, 2, 1))
    preview = _import(
        setup, _csv([["token", "submitdate", "aplica"], ["tk0", "2025-03-01", "1"]]), "a.csv"
    )
    assert preview.rows[0].outcome == Outcome.WITHDRAWN
    assert "retiró su consentimiento el 2025-02-01, antes de responder (el 2025-03-01)" in (
        preview.rows[0].reason
    )
    assert not SurveyResponse.objects.exists()


def test_a_withdrawal_after_answering_keeps_the_response(setup: dict[str, Any]) -> None:
    member = setup["members"][0]
    member.status = MemberStatus.WITHDRAWN
    member.save()
    _consent(member.person, True, datetime(2024, 1, 1))
    _consent(member.person, False, datetime(2025, 3, 10))
    preview = _import(
        setup, _csv([["token", "submitdate", "aplica"], ["tk0", "2025-03-01", "1"]]), "a.csv"
    )
    assert preview.rows[0].outcome == Outcome.NEW
    member.refresh_from_db()
    assert member.status == MemberStatus.RESPONDED
    assert SurveyResponse.objects.get().member == member


def test_an_undated_response_of_a_withdrawn_person_is_refused(setup: dict[str, Any]) -> None:
    member = setup["members"][0]
    _consent(member.person, False, datetime.now() - timedelta(days=3))
    preview = _import(setup, _csv([["token", "aplica"], ["tk0", "1"]]), "a.csv", confirm=False)
    assert preview.rows[0].outcome == Outcome.WITHDRAWN
    assert "no tiene fecha" in preview.rows[0].reason


def test_command_previews_then_confirms(setup: dict[str, Any], tmp_path: Any) -> None:
    path = tmp_path / "respuestas.csv"
    path.write_bytes(_csv([["token", "aplica"], ["tk0", "1"], ["zz", "0"]]))
    out = StringIO()
    call_command("survey_responses_import", setup["wave"].name, str(path), stdout=out)
    text = out.getvalue()
    assert "Se importarían 1 respuestas." in text
    assert "Fila 3: token o código desconocido" in text
    assert "no se guardó nada" in text
    assert not SurveyResponse.objects.exists()
    with pytest.raises(CommandError, match="--user"):
        call_command("survey_responses_import", setup["wave"].name, str(path), "--confirm")
    out = StringIO()
    call_command(
        "survey_responses_import",
        str(setup["wave"].pk),
        str(path),
        "--confirm",
        "--user",
        "importador",
        stdout=out,
    )
    assert "Se importaron 1 respuestas." in out.getvalue()
    assert SurveyResponse.objects.count() == 1


def test_command_refuses_an_unknown_wave(tmp_path: Any) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(b"token,aplica\n")
    with pytest.raises(CommandError, match="no existe"):
        call_command("survey_responses_import", "Ninguna", str(path))


def test_an_import_makes_the_stored_reports_stale(
    setup: dict[str, Any],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    """The reports show each survey indicator's latest estimate: a snapshot computed before
    the import must not be served after it."""
    from registry.reports.freshness import report_data_version

    before = report_data_version()
    data = _csv([["token", "submitdate", "aplica"], ["tk2", "2025-03-05 10:11:12", "Y"]])
    with django_capture_on_commit_callbacks(execute=True):
        _import(setup, data, "lime.csv")
    assert report_data_version() > before
