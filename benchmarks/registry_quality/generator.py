"""Labelled partner rosters: who took which course when, written the way partners write.

`build_dataset` is pure and seeded (the same seed gives the same rosters, cell for cell);
`write_dataset` writes the files, the import manifest (and its reverse), the labels
(file, spreadsheet row -> true person id) and the true persons.

Each person takes a skewed number of courses (most one or two, a few six or more), mostly in
their own region or in national / virtual cohorts; between courses they may change role,
office or region. Each roster is one cohort of a reference course, in one of the four
partner layouts or a tool's export (Moodle's grades, a Google Forms responses sheet), with
its partner's habits (`spelling.RosterStyle`). A few people are listed twice in one roster
(a form answered twice), and some rows of the partners' sheets are junk the import rejects
(a "Total" line, a row without names).

`setting` picks the names (`names.SETTINGS`): Peru's frequencies ("realistic", the
default) or the "namesakes" stress test.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from unidecode import unidecode

from .catalog import COURSES, REGIONS
from .cells import row_values
from .layouts import (
    CSV_CP1252,
    CSV_UTF8_BOM,
    FULL_NAME,
    LAYOUTS,
    XLSX_TITLES,
    Layout,
    header_row_number,
    write_roster,
)
from .names import REALISTIC
from .people import Job, Person, first_job, make_people, next_job, slug
from .people import weighted as _weighted
from .spelling import SELF, RosterStyle

FIRST_YEAR, YEARS = 2019, 6
DUPLICATE_IN_ROSTER = 0.015  # a person listed twice in the same roster
DUPLICATE_ANSWER = 0.04  # a form answered twice
LIMA = timezone(timedelta(hours=-5))
NAMELESS_ROW = 0.003  # a person's row with the name cells left empty (rejected)
SURNAMELESS_ROW = 0.002  # only the given names filled in (rejected)
FOOTER_ROW = 0.35  # rosters with a "Total" line under the table (rejected junk)
HOME_REGION_SHARE = 0.7  # courses taken in one's own region (or national) rather than anywhere
PERSON, JUNK, BLANK = "person", "junk", "blank"


@dataclass(frozen=True)
class RosterRow:
    number: int  # spreadsheet row number, as the import and the export report it
    cells: list[Any]
    person_id: int | None
    kind: str  # PERSON, JUNK or BLANK
    spelled: tuple[str, str, str] = ("", "", "")  # the names the row means (given, pat, mat)


@dataclass
class Roster:
    index: int
    file_name: str
    layout: Layout
    style: RosterStyle
    course: str
    cohort: str
    start_date: date
    region: str  # the cohort's region in the manifest; "" for national / virtual
    title_rows: list[list[Any]]
    headers: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    rows: list[RosterRow] = field(default_factory=list)


@dataclass
class Dataset:
    persons: list[Person]
    rosters: list[Roster]
    setting: str = REALISTIC

    def labels(self) -> list[tuple[str, int, int | None, str]]:
        return [
            (roster.file_name, row.number, row.person_id, row.kind)
            for roster in self.rosters
            for row in roster.rows
            if row.kind != BLANK
        ]


@dataclass(frozen=True)
class _Entry:
    person: Person
    job: Job
    duplicate: bool = False


def _style(rng: random.Random, layout: Layout) -> RosterStyle:
    if layout.tool:
        return _tool_style(rng, layout)
    case = str(_weighted(rng, [("upper", 0.5), ("title", 0.4), ("lower", 0.1)]))
    number_odds = {XLSX_TITLES.key: 0.7, CSV_CP1252.key: 0.5, CSV_UTF8_BOM.key: 0.3}
    return RosterStyle(
        case=case,
        accents=rng.random() < (0.3 if case == "upper" else 0.8),
        has_dni=rng.random() < 0.92,
        dni_missing=rng.choice((0.0, 0.02, 0.05, 0.1, 0.2, 0.35)),
        has_sex=rng.random() < 0.5,
        sex_words=rng.choice(
            (("F", "M"), ("Femenino", "Masculino"), ("Mujer", "Hombre"), ("FEMENINO", "MASCULINO"))
        ),
        has_email=rng.random() < 0.85,
        has_phone=rng.random() < 0.8,
        scale=100 if rng.random() < 0.2 else 20,
        score_missing=rng.choice((0.0, 0.03, 0.1, 0.3)),
        dni_as_number=rng.random() < number_odds.get(layout.key, 0.0),
        decimal_comma=layout is CSV_CP1252,
        full_name_comma=rng.random() < 0.7,
        sorted_by_name=rng.random() < 0.5,
    )


def _tool_style(rng: random.Random, layout: Layout) -> RosterStyle:
    """A tool's export: each person typed their own row; the tool fixes the rest."""
    moodle = layout.tool == "moodle"
    return RosterStyle(
        case="mixed",
        accents=True,
        has_dni=True,
        # Moodle: the administrator filled "Número de ID" for all, some or none of them.
        dni_missing=rng.choice((0.0, 0.05, 0.3, 1.0)) if moodle else rng.choice((0.0, 0.02)),
        has_sex=not moodle and rng.random() < 0.4,
        sex_words=rng.choice((("Femenino", "Masculino"), ("Mujer", "Hombre"))),
        has_email=True,
        has_phone=not moodle and rng.random() < 0.6,
        scale=rng.choice((20, 20, 10, 100)) if moodle else rng.choice((20, 20, 10)),
        score_missing=rng.choice((0.02, 0.05, 0.15)) if moodle else rng.choice((0.05, 0.15, 0.3)),
        dni_as_number=False,
        decimal_comma=moodle,
        full_name_comma=False,
        sorted_by_name=moodle,
        typed_by=SELF,
        timestamps="" if moodle else rng.choice(("forms", "sheets")),
    )


def _plans(rng: random.Random, count: int) -> list[Roster]:
    regions = [(name, weight) for name, weight, _ in REGIONS]
    plans = []
    for index in range(count):
        year = FIRST_YEAR + index * YEARS // count
        start = date(year, rng.randint(3, 11), rng.randint(1, 28))
        region = "" if rng.random() < 0.2 else str(_weighted(rng, regions))
        layout = _weighted(rng, list(LAYOUTS))
        assert isinstance(layout, Layout)  # noqa: S101 - narrows the type
        course = rng.choice(COURSES)
        titles: list[list[Any]] = [
            ["LISTA DE PARTICIPANTES"],
            [f"Curso: {course}"],
            [f"Fecha: {start:%d/%m/%Y}", None, "Sede:", region or "Virtual"],
        ][: rng.randint(1, 3)]
        plans.append(
            Roster(
                index=index,
                file_name="",
                layout=layout,
                style=_style(rng, layout),
                course=course,
                cohort="",
                start_date=start,
                region=region,
                title_rows=titles if layout.extension == "xlsx" else [],
            )
        )
    plans.sort(key=lambda plan: (plan.start_date, plan.index))
    for index, plan in enumerate(plans):
        place = slug(plan.region) or "virtual"
        plan.index = index
        plan.file_name = f"{index:03d}_{plan.start_date.year}_{place}.{plan.layout.extension}"
        plan.cohort = f"{plan.start_date.year}-{place[:3].upper()}-{index:03d}"
    return plans


def _assign(
    rng: random.Random, persons: list[Person], plans: list[Roster]
) -> dict[int, list[_Entry]]:
    """Roster index -> its participants, each with the job they held at that course."""
    by_region: dict[str, list[int]] = {}
    for plan in plans:
        by_region.setdefault(plan.region, []).append(plan.index)
    entries: dict[int, list[_Entry]] = {plan.index: [] for plan in plans}
    everywhere = [plan.index for plan in plans]
    for person in persons:
        near = by_region.get(person.home_region, []) + by_region.get("", [])
        chosen: set[int] = set()
        for _ in range(min(person.participations, len(plans))):
            pool = [i for i in near if i not in chosen]
            if not pool or rng.random() >= HOME_REGION_SHARE:
                pool = [i for i in everywhere if i not in chosen]
            chosen.add(rng.choice(pool))
        job = first_job(rng, person)
        previous: date | None = None
        for index in sorted(chosen):
            start = plans[index].start_date
            if previous is not None:
                job = next_job(rng, job, sex=person.sex, years=(start - previous).days / 365.25)
            previous = start
            entries[index].append(_Entry(person, job))
    return entries


def _fields(roster: Roster) -> list[str]:
    """The layout's fields this roster has (a tool's export has all of its own)."""
    style = roster.style
    present = {"dni": style.has_dni, "sex": style.has_sex}
    present |= {"email": style.has_email, "phone": style.has_phone}
    return [field for field in roster.layout.fields if present.get(field, True)]


def _timestamp(moment: datetime, style: RosterStyle) -> str:
    """A form response's "Marca temporal" as the responses CSV (or the sheet) writes it."""
    if style.timestamps == "sheets":
        return f"{moment:%d/%m/%Y %H:%M:%S}"
    hour = moment.hour % 12 or 12
    half = "a. m." if moment.hour < 12 else "p. m."
    return f"{moment:%Y/%m/%d} {hour}:{moment:%M:%S} {half} GMT-5"


def _answer_times(rng: random.Random, roster: Roster, count: int) -> list[str]:
    """Increasing answer times over the days before the course starts."""
    moment = datetime.combine(roster.start_date, datetime.min.time(), LIMA)
    moment -= timedelta(days=rng.randint(3, 12), hours=rng.randint(0, 12))
    stamps = []
    for _ in range(count):
        moment += timedelta(seconds=rng.expovariate(1 / 2400))
        stamps.append(_timestamp(moment, roster.style))
    return stamps


def _downloaded(rng: random.Random, roster: Roster) -> int:
    """Moodle's "Última descarga de este curso": the Unix time of the export."""
    day = datetime.combine(roster.start_date, datetime.min.time(), LIMA)
    return int(
        (day + timedelta(days=rng.randint(20, 60), minutes=rng.randint(480, 1200))).timestamp()
    )


def _sort_key(entry: _Entry, layout: Layout) -> str:
    person = entry.person
    if layout.tool == "moodle":  # Moodle sorts by the "Apellido(s)" field
        return unidecode(f"{person.paternal} {person.maternal} {person.given}").upper()
    return unidecode(f"{person.paternal} {person.given}").upper()


def _fill(rng: random.Random, roster: Roster, entries: list[_Entry], emails: set[str]) -> None:
    layout = roster.layout
    fields = _fields(roster)
    roster.fields = fields
    roster.headers = [header for field, header in layout.columns if field in fields]
    if roster.style.sorted_by_name:
        entries.sort(key=lambda e: _sort_key(e, layout))
    else:
        rng.shuffle(entries)
    ordered = list(entries)
    twice = DUPLICATE_ANSWER if layout.tool == "forms" else DUPLICATE_IN_ROSTER
    for entry in entries:
        if rng.random() < twice:
            after = ordered.index(entry) + 1
            ordered.insert(rng.randint(after, len(ordered)), _Entry(entry.person, entry.job, True))
    stamps = _answer_times(rng, roster, len(ordered)) if "timestamp" in fields else []
    downloaded = _downloaded(rng, roster)
    number = header_row_number(layout, len(roster.title_rows)) + 1
    for sequence, entry in enumerate(ordered, start=1):
        colleague = rng.choice(entries).person
        values = row_values(
            rng,
            layout=layout,
            style=roster.style,
            person=entry.person,
            job=entry.job,
            duplicate=entry.duplicate,
            colleague=colleague,
            emails=emails,
        ) | {"n": sequence, "downloaded": downloaded}
        if stamps:
            values["timestamp"] = stamps[sequence - 1]
        draw = 1.0 if layout.tool else rng.random()  # a tool requires the names
        if draw < NAMELESS_ROW:
            values |= dict.fromkeys(("paternal", "maternal", "given", "surnames", "full_name"), "")
        elif draw < NAMELESS_ROW + SURNAMELESS_ROW and layout is not FULL_NAME:
            values |= dict.fromkeys(("paternal", "maternal", "surnames"), "")
        cells = [values[field] for field in fields]
        roster.rows.append(
            RosterRow(number, cells, entry.person.pid, PERSON, tuple(values["spelled"]))
        )
        number += 1
    if "n" in fields and rng.random() < FOOTER_ROW:
        if rng.random() < 0.5:
            roster.rows.append(RosterRow(number, [], None, BLANK))
            number += 1
        footer = [f"Total de participantes: {len(ordered)}"] + [""] * (len(fields) - 1)
        roster.rows.append(RosterRow(number, footer, None, JUNK))


def build_dataset(*, persons: int, rosters: int, seed: int, setting: str = REALISTIC) -> Dataset:
    """The true persons and the rosters (in memory; nothing is written)."""
    rng = random.Random(seed)
    people = make_people(persons, seed, setting)
    plans = _plans(rng, rosters)
    entries = _assign(rng, people, plans)
    emails = {person.personal_email for person in people}
    for plan in plans:
        _fill(rng, plan, entries[plan.index], emails)
    return Dataset(people, [plan for plan in plans if plan.rows], setting)


@dataclass(frozen=True)
class WrittenFiles:
    folder: Path
    manifest: Path
    reverse_manifest: Path
    labels: Path
    persons: Path


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def write_dataset(dataset: Dataset, folder: Path) -> WrittenFiles:
    folder.mkdir(parents=True, exist_ok=True)
    manifest_rows = []
    for roster in dataset.rosters:
        write_roster(
            folder / roster.file_name,
            roster.layout,
            headers=roster.headers,
            title_rows=roster.title_rows,
            rows=[row.cells for row in roster.rows],
        )
        manifest_rows.append(
            [
                roster.file_name,
                roster.course,
                roster.cohort,
                roster.start_date.isoformat(),
                roster.region,
            ]
        )
    header = ["file", "course", "cohort", "start_date", "region"]
    files = WrittenFiles(
        folder,
        folder / "manifest.csv",
        folder / "manifest_reverse.csv",
        folder / "labels.csv",
        folder / "persons.csv",
    )
    _write_csv(files.manifest, header, manifest_rows)
    _write_csv(files.reverse_manifest, header, manifest_rows[::-1])
    _write_csv(
        files.labels,
        ["file", "row", "person_id", "kind"],
        [[f, row, "" if pid is None else pid, kind] for f, row, pid, kind in dataset.labels()],
    )
    _write_csv(
        files.persons,
        [
            "person_id",
            "given_names",
            "paternal_surname",
            "maternal_surname",
            "sex",
            "document_type",
            "document_number",
            "husband_surname",
            "goes_by_second_name",
        ],
        [
            [
                p.pid,
                p.given,
                p.paternal,
                p.maternal,
                p.sex,
                p.document_type,
                p.dni,
                p.husband,
                int(p.goes_by_second),
            ]
            for p in dataset.persons
        ],
    )
    return files
