"""A follow-up wave reveals no sensitive participation: such courses neither bring a person
into a population nor give a stratum, unless a holder of the permission makes a wave that
names them, whose pages and lists are then for holders only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from followup.models import SurveyWave
from followup.population import WavePopulation, population_persons
from followup.waves import WaveError, wave_create
from tests.factories import CohortFactory, CourseFactory

pytestmark = pytest.mark.django_db


def _design(actor, population):  # type: ignore[no-untyped-def]
    return wave_create(
        name=f"Ola {len(population)}",
        purpose="Saber si aplican lo aprendido.",
        population=population,
        strata=[],
        allocation="proportional",
        sample_size=3,
        seed=7,
        actor=actor,
    )


def _holder(role_user):  # type: ignore[no-untyped-def]
    user = role_user("admin", username="holder")
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="courses", codename="view_sensitive_participation"
        )
    )
    return user


def test_a_sensitive_course_brings_no_one_into_an_ordinary_population(world) -> None:  # type: ignore[no-untyped-def]
    survivors = CohortFactory(course=CourseFactory(title="Emprendimiento", sensitive=True))
    only_there = world.make_person(cohort_=survivors)
    ordinary = world.make_person()
    everyone = {row.person_id for row in population_persons(WavePopulation())}
    assert ordinary.pk in everyone
    assert only_there.pk not in everyone


def test_only_a_holder_makes_a_wave_that_names_a_sensitive_course(world, role_user) -> None:  # type: ignore[no-untyped-def]
    course = CourseFactory(title="Emprendimiento", sensitive=True)
    survivor = world.make_person(cohort_=CohortFactory(course=course))
    population = {"course": str(course.pk)}
    with pytest.raises(WaveError, match="participación reservada"):
        _design(role_user("admin", username="admin"), population)
    assert not SurveyWave.objects.exists()
    wave = _design(_holder(role_user), population)
    assert {r.person_id for r in population_persons(WavePopulation.from_params(population))} == {
        survivor.pk
    }
    analyst = Client()
    analyst.force_login(role_user("analyst", username="analyst"))
    assert analyst.get(reverse("followup:detail", args=[wave.pk])).status_code == 403
    assert wave.name not in analyst.get(reverse("followup:list")).content.decode()
    listing = reverse("followup:contact_list", args=[wave.pk, "kobo", "csv"])
    assert analyst.get(listing).status_code == 403
