"""The preview lists unread columns, warns of a file whose tests gave no score, and lets the
user map a column: remembered for the school, the same file previewed again with it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessments.models import Score
from courses.models import ColumnProfile
from intake.admin_import import SESSION_KEY
from tests.factories import CohortFactory, CourseFactory
from tests.roster_import.files import csv_bytes

pytestmark = pytest.mark.django_db

# A Google Forms quiz whose file's name does not say which test it was.
HEADER = ["Marca temporal", "Puntuación", "Nombres y apellidos", "DNI", "Institución donde labora"]
ROWS = [
    ["14/05/2026 17:10:33", "17 / 20", "Lucía Huamán Rojas", "47100011", "Ministerio Público"],
    ["14/05/2026 17:11:02", "15,5 / 20", "Juan Carlos Quispe Mamani", "40781234", "PNP"],
]


def _url(cohort) -> str:  # type: ignore[no-untyped-def]
    return reverse("admin:courses_cohort_import_roster", args=[cohort.pk])


def _preview(client: Client, cohort, name: str = "respuestas.csv", rows=ROWS):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, csv_bytes(rows, header=HEADER))
    return client.post(_url(cohort), {"file": upload})


@pytest.fixture
def client(admin_user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(admin_user)
    return client


def test_the_preview_lists_the_unread_score_and_warns_before_the_confirm_button(
    client: Client, cohort
) -> None:  # type: ignore[no-untyped-def]
    html = _preview(client, cohort).content.decode()
    assert "Columnas sin leer" in html
    assert "«Puntuación» (B)" in html
    warning = html.index('id="roster-column-warnings"')
    assert "no se leyó ninguna nota" in html[warning:]
    assert warning < html.index('id="roster-confirm"')
    assert 'id="roster-map"' in html
    assert f"los próximos archivos de {cohort.school.acronym}" in html


def test_mapping_a_column_remembers_it_and_previews_the_file_again(
    client: Client, cohort, admin_user
) -> None:  # type: ignore[no-untyped-def]
    _preview(client, cohort)
    token = next(iter(client.session[SESSION_KEY]))
    upload = client.session[SESSION_KEY][token]
    assert [column["header"] for column in upload["mappable"]] == ["Puntuación"]

    response = client.post(
        _url(cohort), {"token": token, "map_columns": "1", "column_0": "post_score"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    profile = ColumnProfile.objects.get()
    assert (profile.school, profile.header_key, profile.field, profile.updated_by) == (
        cohort.school,
        "PUNTUACION",
        "post_score",
        admin_user,
    )
    assert "Columnas asignadas: «Puntuación» como nota del post-test" in html
    assert "Escala del post-test: 0-20 (indicada en el archivo)" in html
    # Left as it is, the confirmation reads the file's scale again.
    assert '<option value="" selected>Indicada en el archivo (0 a 20)</option>' in html
    assert 'id="roster-column-warnings"' not in html
    assert token not in client.session[SESSION_KEY]  # a new preview, under a new token
    # Nothing was imported by mapping; the new preview confirms as usual.
    assert not Score.objects.exists()
    new_token = next(iter(client.session[SESSION_KEY]))
    client.post(_url(cohort), {"token": new_token})
    assert sorted(Score.objects.values_list("raw_score", flat=True)) == [15.5, 17]


def test_the_next_file_of_the_school_reads_the_mapped_column_without_asking(
    client: Client, cohort, admin_user
) -> None:  # type: ignore[no-untyped-def]
    _preview(client, cohort)
    token = next(iter(client.session[SESSION_KEY]))
    client.post(_url(cohort), {"token": token, "map_columns": "1", "column_0": "post_score"})
    next_course = CohortFactory(school=cohort.school)
    html = _preview(client, next_course, "respuestas (1).csv", rows=ROWS[:1]).content.decode()
    assert 'id="roster-unread"' not in html
    assert "(recordada)" in html
    assert "Escala del post-test: 0-20" in html


def test_ignore_sets_the_column_aside_and_the_warning_goes(client: Client, cohort) -> None:  # type: ignore[no-untyped-def]
    _preview(client, cohort)
    token = next(iter(client.session[SESSION_KEY]))
    html = client.post(
        _url(cohort), {"token": token, "map_columns": "1", "column_0": "ignore"}
    ).content.decode()
    assert ColumnProfile.objects.get().field == "ignore"
    assert "«Puntuación», que no se importa" in html
    assert "Marcada para no importarse en una importación anterior: «Puntuación» (B)" in html
    # Marked "do not import (and do not warn again)": no warning for it.
    assert 'id="roster-column-warnings"' not in html


def test_a_cohort_without_school_or_provider_cannot_map(client: Client) -> None:
    cohort = CohortFactory(school=None, course=CourseFactory(provider=""))
    html = _preview(client, cohort).content.decode()
    assert 'id="roster-map"' not in html
    assert 'id="roster-map-unavailable"' in html


def test_a_stale_token_maps_nothing(client: Client, cohort) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        _url(cohort),
        {"token": "not-mine", "map_columns": "1", "column_0": "post_score"},
        follow=True,
    )
    assert "caducó" in response.content.decode()
    assert not ColumnProfile.objects.exists()


def test_an_unknown_field_is_refused(client: Client, cohort) -> None:  # type: ignore[no-untyped-def]
    _preview(client, cohort)
    token = next(iter(client.session[SESSION_KEY]))
    client.post(_url(cohort), {"token": token, "map_columns": "1", "column_0": "password"})
    assert not ColumnProfile.objects.exists()


def test_the_columns_of_a_spanish_export_are_described_in_spanish(client: Client, cohort) -> None:  # type: ignore[no-untyped-def]
    from tests.foundation.test_language import english_words, visible_text
    from tests.roster_import.real_tools.conftest import FIXTURES

    path = (
        FIXTURES
        / "microsoft_forms"
        / "Evaluación de entrada - Curso de trata de personas(1-5).xlsx"
    )
    response = client.post(_url(cohort), {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    text = visible_text(response.content.decode())
    assert "Columnas que no se importan" in text
    assert "Puntos o comentarios de una pregunta" in text
    assert english_words(text) == set()
