"""A synthetic demo registry: a few hundred officials across the reference courses, each
course counting toward the logframe's real indicators (fixtures/reference/courses.json).

Everything here is invented (names drawn from lists of common Peruvian names, random DNIs);
no real person's data. The data shows what the registry is for: people who took several
courses, officials who changed post between courses, missing sex and DNI, pre/post tests with
partial coverage, spellings nobody mapped yet, and possible duplicates waiting for review.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from assessments.models import Phase, Score, percent_of
from courses.models import Cohort, Course, Enrollment, Indicator, IndicatorLevel, Modality, School
from participants.changes import counted_data_changed
from participants.models import DuplicateCandidate, Institution, Person, Region, Role, Sex
from participants.names import fold
from participants.services import person_build
from participants.vocabularies import alias_table
from registry.logframe import SENSITIVE_OUTPUTS

# Common Peruvian names, most frequent first (the order drives a Zipf-like draw).
SURNAMES = (
    "Quispe Flores Sánchez Rodríguez García Rojas Huamán Mamani Ramos Chávez Torres Díaz Mendoza "
    "Vásquez López Castillo Cruz Ramírez Espinoza Pérez Vargas Gutiérrez Condori Salazar Morales "
    "Apaza Ticona Choque Huanca Palomino Cárdenas Córdova Cáceres Valdivia Paredes Yupanqui Mayta "
    "Cusi Taipe Coaquira Paucar Loayza Ccallo Lupaca Cutipa Machaca Layme Ccorimanya Huillca "
    "Ccahuana Pumacahua Chuquimamani Quispicusi Huarcaya Anccasi Mollohuanca Chuquihuanca"
).split()
FEMALE_NAMES = (
    "María Rosa Ana Carmen Luz Juana Elizabeth Rocío Milagros Yesenia Sonia Gladys Patricia "
    "Lucía Nancy Julia Flor Silvia Mónica Verónica Karina Diana Liliana Maribel Roxana Gloria "
    "Isabel Teresa Beatriz Fiorella Yolanda Marleny Edith Maritza Pilar Raquel Ximena Nélida"
).split()
MALE_NAMES = (
    "Juan José Luis Carlos Jorge César Miguel Víctor Jesús Pedro Marco Antonio Manuel Julio "
    "Raúl Javier Fernando Ricardo Alberto Eduardo Walter Edwin Wilber Percy Hugo Héctor Ángel "
    "Rubén Óscar Alfredo Mario Daniel Franklin Elmer Nilton Fredy Rolando Segundo Teodoro"
).split()
# (institution acronym, role code, component the person's work belongs to, the output
# indicators of the courses such an official takes): police officers take the police
# learning sessions (1.2.1.1), CARE operators the CARE trainings (2.2.1.2), and so on.
PROFILES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("PNP", "police-officer", "prosecution", ("1.2.1.1", "1.2.2.2", "2.1.2.1")),
    ("PNP", "police-officer", "prosecution", ("1.2.1.1", "1.2.2.2")),
    ("MP", "prosecutor", "prosecution", ("1.2.1.2", "1.2.2.2", "2.1.2.1")),
    ("FISTRAP", "prosecutor", "prosecution", ("1.2.1.2", "2.1.2.1")),
    ("MP", "prosecutor-assistant", "prosecution", ("1.2.1.2",)),
    ("PJ", "judge", "prosecution", ("1.2.1.3", "1.2.2.2")),
    ("PJ", "court-staff", "prosecution", ("1.2.1.3", "1.2.2.2")),
    ("DGDPAJ", "public-defender", "prosecution", ("1.2.1.2", "2.1.2.1")),
    ("IML", "forensic-doctor", "prosecution", ("1.2.3.2",)),
    ("IML", "forensic-psychologist", "prosecution", ("1.2.3.2", "2.3.1.2")),
    ("CEM", "psychologist", "protection", ("2.1.2.1", "2.3.1.2", "2.5.1.2")),
    ("CEM", "social-worker", "protection", ("2.1.2.1", "2.6.1.3")),
    ("UPE", "social-worker", "protection", ("2.1.2.1", "2.4.1.2", "2.4.3.2")),
    ("CARE", "care-operator", "protection", ("2.2.1.2", "2.5.1.4")),
    ("CAR", "care-operator", "protection", ("2.2.2.2", "2.2.1.2")),
    ("INABIF", "social-worker", "protection", ("2.2.2.2", "2.5.1.4", "2.4.3.2")),
    ("MRE", "consul", "protection", ("2.7.1.2",)),
    ("MINSA", "health-worker", "protection", ("2.3.1.2", "2.6.1.3")),
    ("DIRESA", "health-worker", "protection", ("2.3.1.2",)),
    ("UGEL", "teacher", "prevention", ("2.4.3.5",)),
    ("MINEDU", "teacher", "prevention", ("2.4.3.5",)),
    ("SUNAFIL", "labour-inspector", "prevention", ()),
    ("MUNI", "manager", "prevention", ("3.1.1.4", "3.4.1.2")),
    ("GORE", "manager", "prevention", ("3.1.1.4", "3.4.1.2", "2.4.1.2")),
    ("ONG", "promoter", "prevention", ("2.4.3.6", "2.4.3.7", "3.2.1.3")),
)
# Spellings partners used that no alias covers yet: an administrator maps them later.
UNMAPPED_INSTITUTIONS = ("Fiscalía Mixta de Tambopata", "Comisaría Sectorial", "Red de Salud Norte")
REGION_WEIGHTS = {
    "15LM": 30, "08": 8, "21": 8, "17": 7, "16": 7, "04": 6, "20": 5, "13": 5, "12": 5,
    "24": 4, "07": 4, "25": 3, "05": 3, "22": 3, "23": 2,
}  # fmt: skip


@dataclass(frozen=True)
class DemoSummary:
    persons: int
    cohorts: int
    enrollments: int
    scores: int
    review_pairs: int


def _mark_sensitive() -> None:
    """The demo shows what a sensitive course hides: 2.4.3.7 (survivors and adolescents at
    risk) and its courses are marked, as the reference data marks them in production."""
    indicators = Indicator.objects.filter(level=IndicatorLevel.OUTPUT, code__in=SENSITIVE_OUTPUTS)
    indicators.update(sensitive=True)
    Course.objects.filter(indicators__in=indicators).update(sensitive=True)


def _cohorts(rng: random.Random) -> list[Cohort]:
    regions = {r.code: r for r in Region.objects.all()}
    schools = {s.name: s for s in School.objects.all()}
    cohorts = []
    for course in Course.objects.order_by("title"):
        for number in range(rng.randint(2, 4)):
            start = date(2019, 3, 1) + timedelta(days=rng.randint(0, 5 * 365))
            region_code = rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()))[
                0
            ]
            cohort, _ = Cohort.objects.get_or_create(
                course=course,
                label=f"{start.year}-{region_code}-{number + 1:02d}",
                defaults={
                    "start_date": start,
                    "end_date": start + timedelta(days=rng.choice((2, 4, 30, 60))),
                    "region": regions[region_code],
                    "modality": rng.choice(Modality.values),
                    "school": schools.get(course.provider),
                },
            )
            cohorts.append(cohort)
    return cohorts


def _pools(cohorts: list[Cohort]) -> dict[tuple[str, str, str, tuple[str, ...]], list[Cohort]]:
    """The cohorts each profile is drawn from: those of the courses counting toward its
    indicators, and of its component's courses that count toward none."""
    codes = {
        course.pk: {indicator.code for indicator in course.indicators.all()}
        for course in Course.objects.prefetch_related("indicators")
    }
    return {
        profile: [
            cohort
            for cohort in cohorts
            if codes[cohort.course_id] & set(profile[3])
            or (not codes[cohort.course_id] and cohort.course.component == profile[2])
        ]
        for profile in PROFILES
    }


def _person(rng: random.Random, dnis: set[int]) -> Person:
    female = rng.random() < 0.5
    names = FEMALE_NAMES if female else MALE_NAMES
    given = rng.choice(names) + (f" {rng.choice(names)}" if rng.random() < 0.45 else "")
    # Zipf-like: common surnames (Quispe, Flores ...) far more often than rare ones.
    weights = [1 / (rank + 1) for rank in range(len(SURNAMES))]
    paternal, maternal = rng.choices(SURNAMES, weights=weights, k=2)
    dni = ""
    if rng.random() < 0.85:
        number = rng.randint(1_000_000, 79_999_999)
        while number in dnis:
            number = rng.randint(1_000_000, 79_999_999)
        dnis.add(number)
        dni = f"{number:08d}"
    sex = (Sex.FEMALE if female else Sex.MALE) if rng.random() < 0.55 else Sex.NOT_RECORDED
    return person_build(
        given_names=given,
        paternal_surname=paternal,
        maternal_surname=maternal if rng.random() < 0.9 else "",
        sex=sex,
        document_number=dni,
        email=f"{fold(given.split()[0])}.{fold(paternal)}{rng.randint(1, 99)}@example.org".lower()
        if rng.random() < 0.6
        else "",
    )


@transaction.atomic
def demo_load(*, persons: int = 300, seed: int = 2024) -> DemoSummary:
    """Create the demo registry. Deterministic for a given seed."""
    rng = random.Random(seed)
    _mark_sensitive()
    cohorts = _cohorts(rng)
    pools = _pools(cohorts)
    institutions = {i.acronym: i for i in Institution.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    regions = {r.code: r for r in Region.objects.all()}
    institution_aliases = alias_table("institution")
    alias_spellings: dict[int, list[str]] = {}
    for key, institution_id in institution_aliases.items():
        alias_spellings.setdefault(institution_id, []).append(key.title())

    dnis: set[int] = set()
    built = [_person(rng, dnis) for _ in range(persons)]
    Person.objects.bulk_create(built)
    people = list(Person.objects.order_by("-id")[:persons])

    enrollments: list[Enrollment] = []
    for person in people:
        profile = rng.choice(PROFILES)
        institution_code, role_code = profile[:2]
        home = regions[rng.choices(list(REGION_WEIGHTS), weights=list(REGION_WEIGHTS.values()))[0]]
        courses_taken = rng.choices((1, 2, 3, 4, 5), weights=(58, 25, 10, 5, 2))[0]
        pool = pools[profile] + rng.sample(cohorts, 2)
        for cohort in rng.sample(pool, min(courses_taken, len(pool))):
            # Officials rotate: some enrollments record another region or role.
            region = home if rng.random() < 0.8 else regions[rng.choice(list(REGION_WEIGHTS))]
            mapped = institutions[institution_code]
            spelling = rng.choice(alias_spellings.get(mapped.pk, [mapped.acronym]))
            institution: Institution | None = mapped
            if rng.random() < 0.03:
                institution, spelling = None, rng.choice(UNMAPPED_INSTITUTIONS)
            # Some rosters had no role column: the role is missing, not an unmapped spelling
            # (a role written as its own vocabulary name is always mapped).
            role = roles[role_code] if rng.random() < 0.9 else None
            enrollments.append(
                Enrollment(
                    person=person,
                    cohort=cohort,
                    institution=institution,
                    institution_text=spelling,
                    role=role,
                    role_text=role.name if role else "",
                    region=region,
                    region_text=region.name,
                )
            )
    Enrollment.objects.bulk_create(enrollments, ignore_conflicts=True)

    scores: list[Score] = []
    # Some courses teach more than others: the knowledge indicators land on both sides of
    # their targets.
    gains = {
        pk: rng.uniform(0.06, 0.22)
        for pk in Course.objects.order_by("pk").values_list("pk", flat=True)
    }
    for enrollment in Enrollment.objects.filter(person__in=people).select_related("cohort"):
        scale = Decimal(20) if rng.random() < 0.7 else Decimal(100)
        pre = min(max(rng.gauss(0.52, 0.15), 0.05), 0.95)
        post = min(max(pre + rng.gauss(gains[enrollment.cohort.course_id], 0.1), 0.05), 1.0)
        has_pre, has_post = rng.random() < 0.7, rng.random() < 0.72
        for phase, share, present in ((Phase.PRE, pre, has_pre), (Phase.POST, post, has_post)):
            if present:
                raw = (scale * Decimal(str(round(share, 2)))).quantize(Decimal("0.01"))
                scores.append(
                    Score(
                        enrollment=enrollment,
                        phase=phase,
                        raw_score=raw,
                        scale_max=scale,
                        percent=percent_of(raw, scale),
                    )
                )
    Score.objects.bulk_create(scores)

    review_pairs = _possible_duplicates(rng, people, cohorts)
    # The bulk creates send no post_save: announced as the services announce theirs, so
    # the report cells catch up once this transaction commits.
    counted_data_changed()
    return DemoSummary(
        persons=Person.objects.count(),
        cohorts=len(cohorts),
        enrollments=Enrollment.objects.count(),
        scores=len(scores),
        review_pairs=review_pairs,
    )


def _possible_duplicates(rng: random.Random, people: list[Person], cohorts: list[Cohort]) -> int:
    """Second records of a few people, as a roster without DNI would have created them."""
    count = 0
    for original in rng.sample(people, 12):
        twin = person_build(
            given_names=original.given_names.split(" ")[0],
            paternal_surname=original.paternal_surname,
            maternal_surname=original.maternal_surname[:1],
            sex=Sex.NOT_RECORDED,
        )
        twin.save()
        Enrollment.objects.create(person=twin, cohort=rng.choice(cohorts))
        low, high = sorted((original, twin), key=lambda p: p.pk)
        DuplicateCandidate.objects.create(
            person_a=low,
            person_b=high,
            score=round(rng.uniform(0.55, 0.95), 3),
            reasons=_twin_reasons(original),
        )
        count += 1
    return count


def _twin_reasons(original: Person) -> list[str]:
    """What the review queue says about a twin, in the linkage engine's own words
    (participants/linkage/reasons.py)."""
    reasons = ["apellido paterno coincide"]
    if original.maternal_surname:
        reasons.append("inicial del apellido materno coincide")
    if " " in original.given_names:
        reasons.append("nombres coinciden, falta el segundo nombre en un registro")
    else:
        reasons.append("nombres iguales")
    reasons.append("sin DNI en un registro")
    return reasons
