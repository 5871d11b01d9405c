"""Time linking one roster against a large registry through the import's matching seam.

This is the path an import takes (`participants.matching.match_rows`): candidates fetched from
the database through the indexed phonetic keys, DNI, email and phone, then scored by the
engine with whole-registry term frequencies. The registry is synthetic (the engine's
generator of Peruvian names) and is written into a dedicated database with COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/link_bench \
        python -m benchmarks.roster_linking --persons 1000000 --roster 1000

The database name must contain "bench": its persons are replaced.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
    django.setup()


def _registry(persons: int, seed: int):  # type: ignore[no-untyped-def]
    import numpy as np

    from participants.codes import generate_code
    from participants.linkage.synthetic.generator import generate_people
    from participants.names import display_name, fold
    from participants.phonetic import spanish_phonetic_key

    people = generate_people(persons, seed=seed)
    people["true_dni"], people["true_email"] = people["dni"], people["email"]
    rng = np.random.default_rng(seed)
    # Registries are incomplete: a fifth of the persons have no DNI, half no e-mail.
    people.loc[rng.random(len(people)) < 0.2, "dni"] = ""
    people.loc[rng.random(len(people)) < 0.5, "email"] = ""

    def keyed(column, first_token: bool = False):  # type: ignore[no-untyped-def]
        uniques = people[column].unique()
        mapping = {
            value: spanish_phonetic_key(fold(value).split(" ")[0] if first_token else value)
            for value in uniques
        }
        return people[column].map(mapping)

    people["paternal_key"] = keyed("pat")
    people["maternal_key"] = keyed("mat")
    people["given_key"] = keyed("given", first_token=True)
    for column in ("given", "pat", "mat"):
        uniques = people[column].unique()
        people[column] = people[column].map({v: display_name(v) for v in uniques})
    codes: set[str] = set()
    while len(codes) < len(people):
        codes.add(generate_code())
    people["code"] = sorted(codes)
    return people


def _load(people) -> float:  # type: ignore[no-untyped-def]
    from django.db import connection

    from participants.models import Person

    started = time.perf_counter()
    columns = (
        "code given_names paternal_surname maternal_surname sex document_type document_number "
        "birth_date email phone paternal_key maternal_key given_key status created_at updated_at"
    ).split()
    frame = people.rename(
        columns={"given": "given_names", "pat": "paternal_surname", "mat": "maternal_surname"}
    )
    frame["document_type"] = "dni"
    frame["document_number"] = frame["dni"]
    frame["status"] = "active"
    frame["sex"] = frame["sex"].replace("", "U")
    frame["created_at"] = frame["updated_at"] = "2025-01-01 00:00:00+00"
    frame["birth_date"] = frame["birth_date"].replace("", None)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Person._meta.db_table} RESTART IDENTITY CASCADE")
        buffer = io.StringIO()
        frame[columns].to_csv(buffer, index=False, header=False, na_rep="\\N", sep="\t")
        buffer.seek(0)
        with cursor.cursor.copy(
            f"COPY {Person._meta.db_table} ({', '.join(columns)}) FROM STDIN "
            "WITH (FORMAT csv, DELIMITER E'\\t', NULL '\\N')"
        ) as copy:
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)
        cursor.execute(f"ANALYZE {Person._meta.db_table}")
    return time.perf_counter() - started


def _roster(people, size: int, seed: int):  # type: ignore[no-untyped-def]
    """60% messy records of registry persons, 40% people the registry has never seen."""
    import pandas as pd

    from participants.linkage.synthetic.generator import generate_people, generate_records
    from participants.names import fold

    known = people.sample(int(size * 0.6), random_state=seed).reset_index(drop=True)
    known["person_id"] = known.index
    # The roster carries what the person really has, even where the registry lacks it.
    known["dni"], known["email"] = known["true_dni"], known["true_email"]
    seen = generate_records(known, records_per_person=(1.0,), seed=seed)
    strangers = generate_people(size - len(seen), seed=seed + 99)
    strangers = strangers[~strangers["dni"].isin(set(people["true_dni"]))]
    fresh = generate_records(strangers, records_per_person=(1.0,), seed=seed + 7)
    roster = pd.concat([seen, fresh], ignore_index=True)
    for column in ("given_names", "paternal_surname", "maternal_surname"):
        roster[column] = roster[column].map(fold)
    return roster.drop(columns=["person_id"], errors="ignore").fillna("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--roster", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--reuse", action="store_true", help="keep the persons already loaded")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from participants.linkage_store import linkage_model_current
    from participants.matching import match_rows
    from participants.models import Person

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("refusing: the database name must contain 'bench'")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people = _registry(args.persons, args.seed)
    print(f"generated {len(people):,} persons in {time.perf_counter() - started:.1f} s")
    if not args.reuse or Person.objects.count() != args.persons:
        print(f"loaded with COPY in {_load(people):.1f} s")
    roster = _roster(people, args.roster, args.seed)
    started = time.perf_counter()
    linkage_model_current()
    print(f"model ready in {time.perf_counter() - started:.1f} s (once per process)")
    timings = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = match_rows(roster)
        timings.append(time.perf_counter() - started)
    counts = result["outcome"].value_counts().to_dict()
    print(
        f"match_rows: {len(roster)} rows against {Person.objects.count():,} persons on "
        f"{connection.vendor}: median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )
    print(f"outcomes: {counts}")


if __name__ == "__main__":
    main()
