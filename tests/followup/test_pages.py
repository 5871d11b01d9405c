"""The waves' pages and the draw command."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from followup.models import MemberStatus, SurveyWave, WaveStatus
from tests.factories import SchoolFactory, UserFactory


def test_anonymous_signs_in_and_others_get_403(client, world, role_user) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("followup:list"))
    assert response.status_code == 302
    client.force_login(UserFactory(username="sin-permiso", is_staff=True))
    assert client.get(reverse("followup:list")).status_code == 403
    client.force_login(role_user("school", school=SchoolFactory()))
    assert client.get(reverse("followup:new")).status_code == 403


def test_analyst_creates_draws_and_replaces(client, world, role_user) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        world.make_person(institution=world.ia)
    for _ in range(5):
        world.make_person(institution=world.ib)
    world.make_person(consents=False)
    client.force_login(role_user("analyst"))

    form = client.get(reverse("followup:new"))
    assert form.status_code == 200
    assert form.context["form"].initial["seed"] >= 0  # a random seed is offered

    response = client.post(
        reverse("followup:new"),
        {
            "name": "Ola web",
            "purpose": "Conocer la aplicación de lo aprendido",
            "institution": "",
            "strata": ["institution"],
            "allocation": "equal",
            "sample_size": "4",
            "confidence": "0.95",
            "anticipated_proportion": "0.5",
            "min_per_stratum": "1",
            "seed": "2026",
        },
    )
    wave = SurveyWave.objects.get(name="Ola web")
    assert response.status_code == 302
    assert response["Location"] == reverse("followup:detail", args=[wave.pk])
    assert "Extraer muestra" in client.get(response["Location"]).content.decode()

    client.post(reverse("followup:draw", args=[wave.pk]))
    wave.refresh_from_db()
    assert wave.status == WaveStatus.DRAWN
    page = client.get(reverse("followup:detail", args=[wave.pk]))
    makeup = page.context["makeup"]
    assert makeup["totals"]["population"] == 11
    assert makeup["totals"]["eligible"] == 10
    assert makeup["totals"]["excluded"] == [0, 0, 1, 0]
    assert [row["allocated"] for row in makeup["rows"]] == [2, 2]
    html = page.content.decode()
    assert "Reemplazar" in html
    assert "Sin consentimiento de contacto" in html

    member = wave.members.first()
    client.post(reverse("followup:replace", args=[wave.pk, member.pk]))
    member.refresh_from_db()
    assert member.status == MemberStatus.NON_RESPONSE
    assert member.replacements.count() == 1


def test_form_needs_a_size_or_a_margin(client, world, role_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(role_user("admin"))
    response = client.post(
        reverse("followup:new"),
        {
            "name": "x",
            "purpose": "y",
            "allocation": "equal",
            "confidence": "0.95",
            "anticipated_proportion": "0.5",
            "min_per_stratum": "1",
            "seed": "1",
        },
    )
    assert response.status_code == 200
    assert "uno de los dos" in response.content.decode()
    assert not SurveyWave.objects.exists()


def test_draw_command(world, role_user) -> None:  # type: ignore[no-untyped-def]
    from followup.waves import wave_create

    for _ in range(3):
        world.make_person()
    wave = wave_create(
        name="Ola de consola",
        purpose="p",
        population={},
        strata=[],
        allocation="proportional",
        sample_size=2,
        seed=5,
        actor=role_user("admin"),
    )
    out = io.StringIO()
    call_command("survey_wave_draw", "Ola de consola", stdout=out)
    assert "2 personas seleccionadas (semilla 5)" in out.getvalue()
    assert wave.members.count() == 2
