"""The response import page: administrators preview and confirm; others are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from followup.models import MemberStatus, QuestionKind, SurveyResponse, WaveStatus
from followup.response_views import SESSION_KEY
from tests.followup.survey_helpers import member_make, question_make, stratum_make, wave_make

pytestmark = pytest.mark.django_db

CSV = b"token,submitdate,aplica\ntk-a,2025-03-01,1\ntk-b,2025-03-01,tal vez\nnadie,2025-03-01,1\n"


@pytest.fixture
def wave(settings: Any, tmp_path: Any) -> Any:
    settings.ROSTER_PREVIEW_DIR = str(tmp_path / "previews")
    wave = wave_make()
    question_make(wave, "aplica", QuestionKind.YES_NO)
    stratum = stratum_make(wave, "todo", 10)
    member_make(stratum, token="tk-a")
    member_make(stratum, token="tk-b")
    return wave


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, wave: Any) -> Any:
    return client.post(
        reverse("followup_responses:import", args=[wave.pk]),
        {"file": SimpleUploadedFile("respuestas.csv", CSV, content_type="text/csv")},
    )


def test_admin_previews_then_confirms(wave: Any, role_user: Any) -> None:
    client = _client(role_user("admin"))
    response = _upload(client, wave)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vista previa: respuestas.csv" in page
    assert (
        "3 filas: 1 respuesta nueva; 1 token o código desconocido; 1 valores con problemas" in page
    )
    assert "aplica: «tal vez» no es sí ni no" in page
    assert "«nadie» no es un token ni un código de esta ola" in page
    assert not SurveyResponse.objects.exists()
    token = next(iter(client.session[SESSION_KEY]))
    done = client.post(reverse("followup_responses:import", args=[wave.pk]), {"token": token})
    assert done.status_code == 200
    assert "Se importaron 1 respuestas." in done.content.decode()
    member = SurveyResponse.objects.get().member
    assert (member.token, member.status) == ("tk-a", MemberStatus.RESPONDED)
    # The token is used once: a second confirmation imports nothing more.
    again = client.post(reverse("followup_responses:import", args=[wave.pk]), {"token": token})
    assert again.status_code == 302
    assert SurveyResponse.objects.count() == 1


def test_the_wave_page_links_the_import_for_administrators_only(wave: Any, role_user: Any) -> None:
    wave.status = WaveStatus.DRAWN  # the import is offered once the sample is drawn
    wave.save()
    link = reverse("followup_responses:import", args=[wave.pk])
    page = _client(role_user("admin")).get(reverse("followup:detail", args=[wave.pk]))
    assert link in page.content.decode()
    analyst = _client(role_user("analyst")).get(reverse("followup:detail", args=[wave.pk]))
    assert analyst.status_code == 200
    assert link not in analyst.content.decode()
    # The old list of waves to import into is the follow-up page's list now.
    listed = _client(role_user("admin")).get(reverse("followup_responses:waves"))
    assert listed.status_code == 302
    assert listed["Location"] == reverse("followup:list")


@pytest.mark.parametrize("role", ["analyst", "school"])
def test_other_roles_are_refused(wave: Any, role_user: Any, role: str) -> None:
    from tests.factories import SchoolFactory

    user = role_user(role, school=SchoolFactory() if role == "school" else None)
    client = _client(user)
    assert client.get(reverse("followup_responses:waves")).status_code == 403
    assert _upload(client, wave).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(wave: Any) -> None:
    response = Client().get(reverse("followup_responses:import", args=[wave.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unreadable_file_is_explained(wave: Any, role_user: Any) -> None:
    client = _client(role_user("admin"))
    response = client.post(
        reverse("followup_responses:import", args=[wave.pk]),
        {"file": SimpleUploadedFile("r.csv", b"submitdate,aplica\n2025-03-01,1\n")},
    )
    assert response.status_code == 200
    assert "no hay una columna «token»" in response.content.decode()
