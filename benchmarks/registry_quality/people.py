"""The true people behind the rosters: names, DNI, e-mail addresses, phones and careers.

Names, sex and DNI come from the engine's own generator (`participants.linkage.synthetic`:
Zipf surnames, a tail of rare Andean surnames, namesakes and siblings), called with its
defaults and left unchanged. On top of it: more namesakes of very common full names, a
personal e-mail address for everyone, name-based institutional addresses, one or two phones,
and a job (institution, role, region) that changes between courses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from unidecode import unidecode

from participants.linkage.synthetic import generate_people

from .catalog import (
    COMMON_FULL_NAMES,
    INSTITUTIONS,
    PERSONAL_DOMAINS,
    REGIONS,
    SECOND_NAMES,
    Institution,
)

# Share of persons with 1, 2, 3 ... participations (most once or twice, a few six or more).
PARTICIPATIONS: tuple[tuple[int, float], ...] = (
    (1, 0.525),
    (2, 0.24),
    (3, 0.11),
    (4, 0.065),
    (5, 0.035),
    (6, 0.015),
    (7, 0.007),
    (8, 0.003),
)
COMMON_NAME_SHARE = 0.015  # persons given one of the very common full names


@dataclass(frozen=True)
class Job:
    institution: Institution
    role: str
    region: str

    @property
    def inbox(self) -> str:
        """The office's shared inbox, or "" when the office has none."""
        pattern = self.institution.inbox
        return pattern.format(region=slug(self.region)) if pattern else ""


@dataclass
class Person:
    pid: int
    given: str
    paternal: str
    maternal: str
    sex: str
    dni: str
    personal_email: str
    phones: tuple[str, ...]
    participations: int
    home_region: str
    institutional: dict[str, str] = field(default_factory=dict)  # domain -> address


def slug(text: str) -> str:
    return "".join(ch for ch in unidecode(text).lower() if ch.isalnum())


def weighted(rng: random.Random, items: list[tuple[object, float]]) -> object:
    values, weights = zip(*items, strict=True)
    return rng.choices(values, weights=weights)[0]


def _personal_email(rng: random.Random, person: Person, taken: set[str]) -> str:
    first = slug(person.given.split(" ")[0])
    pat, mat = slug(person.paternal), slug(person.maternal) or "x"
    domain = str(weighted(rng, list(PERSONAL_DOMAINS)))
    patterns = (
        f"{first}.{pat}{rng.randint(1, 99)}",
        f"{first}{pat}{mat[:1]}",
        f"{first[:1]}{pat}_{rng.randint(10, 999)}",
        f"{pat}.{first}{rng.randint(70, 99)}",
        f"{first}_{mat}{rng.randint(1, 9)}",
    )
    user = rng.choice(patterns)
    address = f"{user}@{domain}"
    while address in taken:
        address = f"{user}{rng.randint(1, 9999)}@{domain}"
    taken.add(address)
    return address


def institutional_email(person: Person, institution: Institution, taken: set[str]) -> str:
    """Name-based address at the institution's domain (jquispem@mpfn.gob.pe), unique."""
    domain = institution.domain
    if not domain:
        return ""
    if domain in person.institutional:
        return person.institutional[domain]
    first = slug(person.given.split(" ")[0])
    pat, mat = slug(person.paternal), slug(person.maternal)
    if domain == "policia.gob.pe":
        base = f"{first}.{pat}"
    elif domain == "mpfn.gob.pe":
        base = f"{first[:1]}{pat}{mat[:1]}"
    else:
        base = f"{first[:1]}{pat}"
    address, number = f"{base}@{domain}", 1
    while address in taken:
        number += 1
        address = f"{base}{number}@{domain}"
    taken.add(address)
    person.institutional[domain] = address
    return address


def _phone(rng: random.Random, taken: set[str]) -> str:
    number = f"9{rng.randint(0, 99_999_999):08d}"
    while number in taken:
        number = f"9{rng.randint(0, 99_999_999):08d}"
    taken.add(number)
    return number


def _common_names(rng: random.Random, persons: list[Person]) -> None:
    """Give several persons each very common full name (with different DNIs)."""
    chosen = rng.sample(range(len(persons)), int(len(persons) * COMMON_NAME_SHARE))
    for position, index in enumerate(chosen):
        given, paternal, maternal, sex = COMMON_FULL_NAMES[position % len(COMMON_FULL_NAMES)]
        if rng.random() < 0.5:
            given = f"{given} {rng.choice(SECOND_NAMES[sex])}"
        person = persons[index]
        person.given, person.paternal, person.maternal, person.sex = (
            given,
            paternal,
            maternal,
            sex,
        )


def make_people(count: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    frame = generate_people(count, seed=seed)
    regions = [(name, weight) for name, weight, _ in REGIONS]
    counts = list(PARTICIPATIONS)
    persons = [
        Person(
            pid=int(record["person_id"]),
            given=str(record["given"]),
            paternal=str(record["pat"]),
            maternal=str(record["mat"]),
            sex=str(record["sex"]),
            dni=str(record["dni"]),
            personal_email="",
            phones=(),
            participations=int(weighted(rng, counts)),  # type: ignore[call-overload]
            home_region=str(weighted(rng, regions)),
        )
        for record in frame.to_dict("records")
    ]
    _common_names(rng, persons)
    emails: set[str] = set()
    phones: set[str] = set()
    for person in persons:
        person.personal_email = _personal_email(rng, person, emails)
        person.phones = tuple(_phone(rng, phones) for _ in range(1 + (rng.random() < 0.4)))
    return persons


# Feminine -> masculine form of the roles that have both.
_MASCULINE = {
    "Psicóloga": "Psicólogo",
    "Trabajadora Social": "Trabajador Social",
    "Abogada": "Abogado",
    "Promotora": "Promotor",
    "Coordinadora": "Coordinador",
    "Fiscal Adjunta": "Fiscal Adjunto",
    "Jueza": "Juez",
    "Enfermera": "Enfermero",
    "Técnica en Enfermería": "Técnico en Enfermería",
    "Defensora Pública": "Defensor Público",
    "Psicóloga Forense": "Psicólogo Forense",
    "Inspectora de Trabajo": "Inspector de Trabajo",
    "Inspectora de Migraciones": "Inspector de Migraciones",
    "Educadora": "Educador",
    "Tutora": "Tutor",
    "Directora de CAR": "Director de CAR",
    "Profesora": "Profesor",
    "Asistente Social": "Asistente Social",
}
_FEMININE = {masculine: feminine for feminine, masculine in _MASCULINE.items()}


def _role(rng: random.Random, institution: Institution, sex: str) -> str:
    role = rng.choice(institution.roles)
    return (_MASCULINE if sex == "M" else _FEMININE).get(role, role)


def first_job(rng: random.Random, person: Person) -> Job:
    institution = weighted(rng, [(item, item.weight) for item in INSTITUTIONS])
    assert isinstance(institution, Institution)  # noqa: S101 - narrows the type
    return Job(institution, _role(rng, institution, person.sex), person.home_region)


def next_job(rng: random.Random, job: Job, *, sex: str, years: float) -> Job:
    """Staff turnover: between two courses a person may change role, office or region."""
    if rng.random() >= min(0.2 + 0.08 * years, 0.6):
        return job
    institution, region = job.institution, job.region
    if rng.random() < 0.4:
        picked = weighted(rng, [(item, item.weight) for item in INSTITUTIONS])
        assert isinstance(picked, Institution)  # noqa: S101 - narrows the type
        institution = picked
    if rng.random() < 0.3:
        region = str(weighted(rng, [(name, weight) for name, weight, _ in REGIONS]))
    return Job(institution, _role(rng, institution, sex), region)
