from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def analyst(db):  # type: ignore[no-untyped-def]
    user = UserFactory(username="analyst")
    user.user_permissions.add(Permission.objects.get(codename="view_reports"))
    return user


def test_anonymous_is_sent_to_sign_in(client, registry) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reports:login"))


def test_signed_in_without_permission_gets_403(client, registry) -> None:  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="clerk"))
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get(reverse("reports:export", args=["by_sex", "csv"])).status_code == 403
    assert client.get(reverse("reports:participations", args=["csv"])).status_code == 403
    assert client.get(reverse("reports:indicator_report")).status_code == 403


def test_analyst_sees_figures_charts_and_tables(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 10
    assert "Entre 5 y 6" in html  # the unique-person range
    assert "No registrado" in html
    assert "40.0%" in html  # paired coverage
    assert 'href="/reports/"' in html  # the header link from the context processor
    report = response.context["report"]
    assert (report["participations"], report["unique_persons"]) == (10, 6)
    # Analysts never see names or document numbers on the page.
    assert "Quispe" not in html
    assert registry.p1.document_number not in html


def test_superuser_sees_the_dashboard_but_staff_status_alone_does_not(
    client, registry, admin_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    assert client.get(reverse("reports:dashboard")).status_code == 200
    client.force_login(UserFactory(username="staffer", is_staff=True))
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_filters_from_the_query_string(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"), {"course": registry.course_b.pk})
    assert (
        response.context["report"]["participations"],
        response.context["report"]["unique_persons"],
    ) == (4, 4)
    assert f"course={registry.course_b.pk}" in response.content.decode()  # download links keep it


def test_bad_filter_is_explained_not_a_crash(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"), {"date_from": "ayer"})
    assert response.status_code == 200
    assert "«ayer» no es una fecha válida" in response.content.decode()
    export = client.get(reverse("reports:export", args=["by_sex", "csv"]), {"date_from": "ayer"})
    assert export.status_code == 400
    assert "Desde: «ayer» no es una fecha válida" in export.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"date_from": "2024-06-01", "date_to": "2024-01-31"},
            "date_to",
            "La fecha «Hasta» (31/01/2024) es anterior a «Desde» (01/06/2024).",
        ),
        ({"region": "999999"}, "region", "La región «999999» no existe; elija una de la lista."),
        ({"institution": "abc"}, "institution", "La institución «abc» no existe"),
        ({"date_to": "2024-02-30"}, "date_to", "«2024-02-30» no es una fecha válida"),
        ({"component": "ventas"}, "component", "«ventas» no es un componente"),
    ],
)
def test_invalid_filter_is_shown_beside_its_field_and_no_report_is_computed(
    client, registry, analyst, monkeypatch, params, field, message
) -> None:  # type: ignore[no-untyped-def]
    def no_report(**kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the report was computed for an invalid filter")

    monkeypatch.setattr("registry.reports.publication.report_snapshot_fetch", no_report)
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"), params)
    assert response.status_code == 200
    html = response.content.decode()
    error = html.split(f'id="error-{field}"')[1].split("</p>")[0]
    assert message in error
    assert f'aria-describedby="error-{field}"' in html
    assert "no se calculó ninguna cifra" in html
    # No figure of the whole registry passes for the filtered one.
    assert "report" not in response.context
    assert 'id="kpi-unique"' not in html
    assert "<svg" not in html
    # The submitted value stays in its field to be corrected.
    if field.startswith("date"):
        assert f'value="{params[field]}"' in html


def test_valid_filters_keep_their_values_in_the_form(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    params = {"date_from": "2024-01-01", "region": str(registry.rb.pk), "component": "protection"}
    html = client.get(reverse("reports:dashboard"), params).content.decode()
    assert 'name="date_from" value="2024-01-01"' in html
    assert f'<option value="{registry.rb.pk}" selected>' in html
    assert '<option value="protection" selected>' in html
    assert "field-error" not in html


def test_dashboard_has_tabs_by_question_without_inline_styles_or_scripts(
    client, registry, analyst
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    html = client.get(reverse("reports:dashboard")).content.decode()
    tabs = html.split('<nav class="tabs"')[1].split("</nav>")[0]
    labels = re.findall(r'<a href="#([a-z-]+)">([^<]+)</a>', tabs)
    assert [label for _, label in labels] == [
        "¿Quiénes?",
        "¿En qué cursos?",
        "¿Cuántas veces?",
        "¿Aprendieron?",
        "Indicadores",
        "Completitud",
    ]
    for anchor, _ in labels:
        assert f'<section class="tab-panel" id="{anchor}"' in html
    # Each question's tables are in its panel.
    panel = html.split('id="quienes"')[1].split('class="tab-panel"')[0]
    assert all(f'id="{name}"' in panel for name in ("by_sex", "by_institution", "by_region"))
    assert 'id="repeat_participation"' in html.split('id="cuantas-veces"')[1]
    # A Content-Security-Policy without 'unsafe-inline' allows neither.
    assert " style=" not in html
    assert "<script" not in html


def test_home_leads_analysts_to_the_dashboard(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    assert client.get("/")["Location"] == reverse("reports:dashboard")


def test_sign_in_form_leads_to_the_dashboard(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("reports:login"),
        {"username": "analyst", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")


def test_unknown_table_is_404(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    assert client.get(reverse("reports:export", args=["persons", "csv"])).status_code == 404
    assert client.get(reverse("reports:export", args=["by_sex", "pdf"])).status_code == 404


def test_indicator_tables_show_reported_and_registry_figures(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert "Participaciones reportadas (jul. 2024)" in html
    assert "Personas únicas en el registro" in html
    assert "Indicadores de producto por institución" in html
    assert "Indicadores de incremento de conocimientos" in html
    assert "Medido por encuesta" in html
    assert reverse("reports:indicator_report") in html
    # Every output indicator is on the page (the logframe's 24 and the test's two), with
    # the total row; the English original stays in the downloads.
    outputs = html.split('id="indicators"')[1].split("</table>")[0]
    assert outputs.count("<tr>") == 1 + 26 + 1
    assert "# of participants (T-1)" not in outputs


def test_year_and_sex_lists_filter_the_dashboard(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    html = client.get(reverse("reports:dashboard")).content.decode()
    # The years cohorts started, latest first, and the model's sex labels.
    years = html.split('name="year"')[1].split("</select>")[0]
    assert re.findall(r'<option value="(\d*)"', years) == ["", "2024", "2023"]
    sexes = html.split('name="sex"')[1].split("</select>")[0]
    assert '<option value="F">Mujer</option>' in sexes
    assert '<option value="U">No registrado</option>' in sexes
    response = client.get(reverse("reports:dashboard"), {"year": "2024", "sex": "F"})
    report = response.context["report"]
    assert (report["participations"], report["unique_persons"]) == (3, 2)
    html = response.content.decode()
    assert '<option value="2024" selected>' in html
    assert '<option value="F" selected>' in html
    # The download links carry the year as its dates, and the sex.
    assert "date_from=2024-01-01&amp;date_to=2024-12-31&amp;sex=F" in html


def test_a_year_with_dates_is_refused_beside_the_year(client, registry, analyst) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"), {"year": "2024", "date_to": "2024-03-01"})
    html = response.content.decode()
    assert "report" not in response.context
    assert "no ambos" in html.split('id="error-year"')[1].split("</p>")[0]


def test_indicator_chart_names_each_indicator_beside_its_reported_figure(
    client, registry, analyst
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    response = client.get(reverse("reports:dashboard"))
    chart = str(response.context["indicators"]["outputs"]["chart"])
    assert "<title>T-1 Indicador uno</title>" in chart
    # The project's July 2024 figures (12 and 30) next to the registry's.
    assert 'class="legend">Reportado por el proyecto (julio de 2024)</text>' in chart
    assert "<title>Reportado por el proyecto (julio de 2024): 12</title>" in chart
    assert "<title>Reportado por el proyecto (julio de 2024): 30</title>" in chart
    outputs = response.context["report"]["indicators"]["outputs"]
    reported = [
        r
        for r in outputs
        if r["participations"] is not None and r["reported_participations"] is not None
    ]
    assert chart.count('class="bar-ref"') == len(reported) + 1 >= 3  # and the legend's
    knowledge = str(response.context["indicators"]["knowledge"]["chart"])
    assert "T-K Incremento de conocimientos de prueba" in knowledge


def test_tables_by_region_institution_and_role_say_a_person_counts_in_several(
    client, registry, analyst
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(analyst)
    html = client.get(reverse("reports:dashboard")).content.decode()

    def note(table: str) -> str:
        section = html.split(f'id="{table}"')[1].split("</section>")[0]
        return section.split('class="muted small section-note">')[1].split("</p>")[0]

    # Persons by region: 4 in A, 4 in B, 1 unmapped, of 6 distinct persons.
    assert note("by_region") == (
        "Quien se capacitó en varias regiones cuenta como una persona en cada una: la columna "
        "de personas suma 9, más que las 6 personas distintas."
    )
    assert "suma 8, más que las 6" in note("by_institution")
    assert note("by_role").startswith("Quien se capacitó con varios cargos")
    by_sex = html.split('id="by_sex"')[1].split("</section>")[0]
    assert "section-note" not in by_sex  # a person has one sex: its column adds up
