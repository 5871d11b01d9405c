"""Creating a wave, drawing its sample and replacing non-respondents."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditAction, AuditEvent
from courses.models import IndicatorKind, IndicatorLevel, ParticipantGroup
from followup.models import MemberStatus, WaveMember, WaveStatus
from followup.population import WavePopulation, population_persons
from followup.waves import WaveError, wave_create, wave_draw, wave_replace
from participants.models import IdentityRecord, PersonStatus, Sex
from tests.factories import CohortFactory, CourseFactory, UserFactory
from tests.followup.conftest import TODAY, consent


def _wave(actor, **overrides):  # type: ignore[no-untyped-def]
    design = {
        "name": "Ola de prueba",
        "purpose": "Saber si aplican lo aprendido.",
        "population": {},
        "strata": ["institution"],
        "allocation": "proportional",
        "sample_size": 4,
        "min_per_stratum": 1,
        "seed": 12345,
        "actor": actor,
    }
    return wave_create(**{**design, **overrides})


@pytest.fixture
def analyst(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="analista")


def test_same_seed_same_members_other_seed_differs(world, analyst) -> None:  # type: ignore[no-untyped-def]
    for _ in range(12):
        world.make_person(institution=world.ia)
    for _ in range(8):
        world.make_person(institution=world.ib)

    def members(name: str, seed: int) -> list[int]:
        wave = wave_draw(_wave(analyst, name=name, seed=seed, sample_size=6), actor=analyst)
        return list(wave.members.order_by("draw_order").values_list("person_id", flat=True))

    first = members("uno", 99)
    assert len(first) == 6
    assert members("dos", 99) == first
    assert members("tres", 100) != first


def test_only_consenting_reachable_adults_are_drawn_and_the_rest_counted(world, analyst) -> None:  # type: ignore[no-untyped-def]
    ok = [world.make_person() for _ in range(3)]
    world.make_person(consents=False)
    withdrew = world.make_person()
    consent(withdrew, granted=False)
    world.make_person(email="", phone="")  # no usable contact
    world.make_person(email="sin-arroba", phone="12")  # neither is usable
    by_phone = world.make_person(email="", phone="984 123 456")
    world.make_person(birth_date=dt.date(2010, 1, 1))  # a minor
    world.make_person(status=PersonStatus.CANCELLED)
    # A newer identity record gives a usable e-mail to a person without one.
    learned = world.make_person(email="")
    IdentityRecord.objects.create(person=learned, source="roster", email="nuevo@example.org")

    wave = wave_draw(_wave(analyst, sample_size=50), actor=analyst, today=TODAY)

    drawn = set(wave.members.values_list("person_id", flat=True))
    assert drawn == {p.pk for p in ok} | {by_phone.pk, learned.pk}
    stratum = wave.strata_drawn.get()
    assert (stratum.population, stratum.eligible, stratum.allocated) == (11, 5, 5)
    assert stratum.excluded == {"cancelled": 1, "minor": 1, "no_consent": 2, "no_contact": 2}
    assert wave.status == WaveStatus.DRAWN
    event = AuditEvent.objects.filter(action=AuditAction.SURVEY_SAMPLE).latest("id")
    assert event.details["step"] == "draw"
    assert event.details["drawn"] == 5
    assert event.details["excluded"]["no_consent"] == 2


def test_strata_from_the_latest_participation_in_the_population(world, analyst) -> None:  # type: ignore[no-untyped-def]
    person = world.make_person(institution=world.ia, region=world.ra)
    later = CohortFactory(course=world.course, label="S-2025", start_date=dt.date(2025, 3, 1))
    from tests.factories import EnrollmentFactory

    EnrollmentFactory(person=person, cohort=later, institution=world.ib, region=world.rb)
    (found,) = population_persons(WavePopulation())
    assert (found.institution_id, found.region_id) == (world.ib.pk, world.rb.pk)
    # A filter on 2024 sees only the earlier participation.
    (found,) = population_persons(WavePopulation.from_params({"year_to": "2024"}))
    assert (found.institution_id, found.region_id) == (world.ia.pk, world.ra.pk)


def test_wave_filters_sex_and_indicator(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from courses.models import Indicator

    indicator = Indicator.objects.create(
        level=IndicatorLevel.OUTPUT,
        code="9.9.9",
        kind=IndicatorKind.PARTICIPANTS,
        participant_group=ParticipantGroup.STATE_OPERATORS,
        unit="#",
        name="Indicador de prueba",
    )
    counted = CourseFactory(title="Curso que cuenta")
    counted.indicators.set([indicator])
    cohort = CohortFactory(course=counted, label="C-2024", start_date=dt.date(2024, 1, 1))
    woman = world.make_person(sex=Sex.FEMALE, cohort_=cohort)
    world.make_person(sex=Sex.MALE, cohort_=cohort)
    world.make_person(sex=Sex.FEMALE)
    ids = {
        p.person_id
        for p in population_persons(WavePopulation.from_params({"sex": "F", "indicator": "9.9.9"}))
    }
    assert ids == {woman.pk}
    with pytest.raises(Exception, match="no es un indicador"):
        WavePopulation.from_params({"indicator": "0.0"})


def test_stratified_draw_records_each_stratum(world, analyst) -> None:  # type: ignore[no-untyped-def]
    for _ in range(9):
        world.make_person(institution=world.ia, sex=Sex.FEMALE)
    for _ in range(3):
        world.make_person(institution=world.ib, sex=Sex.MALE)
    wave = wave_draw(
        _wave(analyst, strata=["sex", "institution"], allocation="equal", sample_size=4),
        actor=analyst,
    )
    rows = {s.key: (s.label, s.population, s.allocated) for s in wave.strata_drawn.all()}
    assert rows == {
        f"institution={world.ia.pk}|sex=F": ("TIA · Mujer", 9, 2),
        f"institution={world.ib.pk}|sex=M": ("TIB · Hombre", 3, 2),
    }
    for stratum in wave.strata_drawn.all():
        assert len(stratum.reserve) == stratum.eligible - stratum.allocated
    assert len(set(wave.members.values_list("token", flat=True))) == 4


def test_size_from_margin_of_error(world, analyst) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        world.make_person()
    wave = wave_draw(
        _wave(analyst, sample_size=None, margin_of_error=0.1, strata=[]), actor=analyst
    )
    # n0 = 1.96² * 0.25 / 0.01 = 96.04; n = 96.04 / (1 + 95.04 / 20) = 16.70 -> 17.
    assert wave.members.count() == 17


def test_a_wave_is_drawn_once(world, analyst) -> None:  # type: ignore[no-untyped-def]
    world.make_person()
    wave = wave_draw(_wave(analyst), actor=analyst)
    with pytest.raises(WaveError, match="ya fue extraída"):
        wave_draw(wave, actor=analyst)


def test_a_wave_needs_a_size_or_a_margin(analyst) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WaveError, match="uno de los dos"):
        _wave(analyst, sample_size=None)


def test_replacement_comes_from_the_same_stratum_and_is_recorded(world, analyst) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        world.make_person(institution=world.ia)
    for _ in range(3):
        world.make_person(institution=world.ib)
    wave = wave_draw(_wave(analyst, sample_size=4), actor=analyst)
    member = wave.members.filter(stratum__key=f"institution={world.ib.pk}").first()
    stratum = member.stratum
    expected = stratum.reserve[0]

    replacement = wave_replace(member, actor=analyst)

    member.refresh_from_db()
    assert member.status == MemberStatus.NON_RESPONSE
    assert replacement.replacement_for == member
    assert replacement.person_id == expected
    assert replacement.stratum == stratum
    assert replacement.draw_order == 5
    assert replacement.token != member.token
    stratum.refresh_from_db()
    assert expected not in stratum.reserve
    assert AuditEvent.objects.filter(
        action=AuditAction.SURVEY_SAMPLE, details__step="replace"
    ).exists()
    with pytest.raises(WaveError, match="ya fue reemplazado"):
        wave_replace(member, actor=analyst)


def test_replacement_passes_over_who_withdrew_and_refuses_when_none_is_left(world, analyst) -> None:  # type: ignore[no-untyped-def]
    people = [world.make_person() for _ in range(3)]
    wave = wave_draw(_wave(analyst, sample_size=1, strata=[]), actor=analyst)
    stratum = wave.strata_drawn.get()
    first, second = stratum.reserve
    consent(next(p for p in people if p.pk == first), granted=False)
    member = wave.members.get()

    replacement = wave_replace(member, actor=analyst)
    assert replacement.person_id == second

    with pytest.raises(WaveError, match="No queda nadie en el estrato"):
        wave_replace(replacement, actor=analyst)
    replacement.refresh_from_db()
    assert replacement.status == MemberStatus.SELECTED  # refused: nothing changed
    assert WaveMember.objects.filter(wave=wave).count() == 2


def test_replacing_a_member_who_withdrew_records_the_withdrawal(world, analyst) -> None:  # type: ignore[no-untyped-def]
    people = {p.pk: p for p in (world.make_person() for _ in range(3))}
    wave = wave_draw(_wave(analyst, sample_size=1, strata=[]), actor=analyst)
    member = wave.members.get()
    consent(people[member.person_id], granted=False)

    replacement = wave_replace(member, actor=analyst)

    member.refresh_from_db()
    assert member.status == MemberStatus.WITHDRAWN
    assert replacement.replacement_for == member


def test_a_minor_is_drawn_only_with_a_guardian_s_consent_to_follow_up(world, analyst) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from accounts.guardian_consent import GuardianStatement, guardian_consent_record
    from accounts.models import GuardianConsentSource

    adult = world.make_person()
    allowed = world.make_person(birth_date=dt.date(2011, 3, 1))
    refused = world.make_person(birth_date=dt.date(2011, 3, 1))
    for minor, follow_up in ((allowed, True), (refused, False)):
        guardian_consent_record(
            person=minor,
            statement=GuardianStatement(
                guardian_name="Madre de prueba",
                guardian_relationship="mother",
                given_at=timezone.now(),
                allows_follow_up=follow_up,
            ),
            source=GuardianConsentSource.ADMIN,
            actor=None,
        )
    # No birth date, but the roster said 15 at a training last year: still a minor.
    stated = world.make_person(birth_date=None)
    stated.enrollments.update(age_stated=15)

    wave = wave_draw(_wave(analyst, sample_size=50), actor=analyst, today=TODAY)

    drawn = set(wave.members.values_list("person_id", flat=True))
    assert drawn == {adult.pk, allowed.pk}
    assert wave.strata_drawn.get().excluded["minor"] == 2
