"""The true people behind the rosters: names, documents, e-mail addresses, phones and careers.

Names come from `names` (Peru's frequencies, or the namesakes stress test), with siblings
who share both surnames and married women who may add "de" and their husband's surname.
Everyone has a unique DNI but a few foreigners, who hold a foreign resident card (carné de
extranjería, 9 digits) or a passport instead. On top of it: a personal e-mail address for
everyone, name-based institutional addresses, one or two phones, and a job (institution,
role, region) that changes between courses.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from unidecode import unidecode

from participants.linkage.placeholders import is_placeholder_dni

from .catalog import INSTITUTIONS, PERSONAL_DOMAINS, REGIONS, Institution
from .names import REALISTIC, SETTINGS, draw_given, draw_surname, key

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
FEMALE_SHARE = 0.5
FOREIGN_PASSPORT = 0.3  # of foreigners: a passport rather than a foreign resident card


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
    dni: str  # the document's number: 8 digits for a DNI, else the card's or passport's
    personal_email: str
    phones: tuple[str, ...]
    participations: int
    home_region: str
    institutional: dict[str, str] = field(default_factory=dict)  # domain -> address
    given_parts: tuple[str, ...] = ()  # ("María", "del Carmen"); given is them joined
    goes_by_second: bool = False  # signs some rosters with the second given name only
    husband: str = ""  # a married woman's husband's surname, added after "de" on some rows
    document_type: str = "dni"  # "dni", "ce" (carné de extranjería) or "passport"


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


def _documents(rng: random.Random, count: int, foreigners: float) -> list[tuple[str, str]]:
    """(type, number) for each person: unique DNIs (about 1 in 8 starts with 0), none a
    filler; a few foreign resident cards (9 digits) and passports."""
    taken: set[str] = set()
    documents = []
    for _ in range(count):
        if rng.random() < foreigners:
            if rng.random() < FOREIGN_PASSPORT:
                number = (
                    f"{rng.randint(100_000_000, 199_999_999)}"
                    if rng.random() < 0.6
                    else f"{rng.choice(('AT', 'PE', 'AR'))}{rng.randint(100_000, 999_999)}"
                )
                documents.append(("passport", number))
            else:
                documents.append(("ce", f"00{rng.randint(1_000_000, 9_999_999)}"))
            continue
        number = f"{rng.randint(0, 79_999_999):08d}"
        while number in taken or is_placeholder_dni(number):
            number = f"{rng.randint(0, 79_999_999):08d}"
        taken.add(number)
        documents.append(("dni", number))
    return documents


def make_people(count: int, seed: int, setting: str = REALISTIC) -> list[Person]:
    rng = random.Random(seed)
    chosen = SETTINGS[setting]
    regions = [(name, weight) for name, weight, _ in REGIONS]
    counts = list(PARTICIPATIONS)
    documents = _documents(random.Random(seed + 1), count, chosen.foreigners)
    persons = []
    for pid, (document_type, number) in enumerate(documents):
        sex = "F" if rng.random() < FEMALE_SHARE else "M"
        given = draw_given(rng, sex, setting)
        paternal, maternal = draw_surname(rng, setting), draw_surname(rng, setting)
        husband = ""
        if sex == "F" and rng.random() < chosen.married:
            husband = draw_surname(rng, setting)
            while key(husband) == key(paternal):
                husband = draw_surname(rng, setting)
        persons.append(
            Person(
                pid=pid,
                given=given.text,
                paternal=paternal,
                maternal=maternal,
                sex=sex,
                dni=number,
                personal_email="",
                phones=(),
                participations=int(weighted(rng, counts)),  # type: ignore[call-overload]
                home_region=str(weighted(rng, regions)),
                given_parts=given.parts,
                goes_by_second=given.goes_by_second,
                husband=husband,
                document_type=document_type,
            )
        )
    for person in persons:
        if rng.random() < chosen.siblings:  # a brother or sister: the same two surnames
            sibling = rng.choice(persons)
            person.paternal, person.maternal = sibling.paternal, sibling.maternal
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
