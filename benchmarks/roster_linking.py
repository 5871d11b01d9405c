"""Time linking one roster against a large registry through the import's matching seam.

This is the path an import takes (`participants.matching.match_rows`): candidates fetched from
the database through the indexed phonetic keys, DNI, email and phone (on persons and on their
identity records), then scored by the engine over every record of each candidate with
whole-registry term frequencies. The registry is synthetic (the engine's generator of Peruvian
names) and is written into a dedicated database with COPY: the persons, and 1-6 identity
records each (about 3 per person, most persons with few) as rosters described them - the
first as the person was registered, the others with the DNI present or missing, a personal or
an institutional e-mail, a phone or not, the maternal surname missing or reduced to an
initial, the second given name dropped, accents and case as each partner writes them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/link_bench \
        python -m benchmarks.roster_linking --persons 1000000 --roster 1000

The database name must contain "bench": its persons and identity records are replaced.
`--reuse` keeps what is loaded when the counts agree; `--no-records` loads persons only.
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
        _copy(cursor, Person._meta.db_table, frame[columns])
        cursor.execute(f"VACUUM ANALYZE {Person._meta.db_table}")
    return time.perf_counter() - started


# Share of persons with 1, 2, ... 6 identity records (mean about 3).
RECORD_SHARES = (0.25, 0.20, 0.17, 0.14, 0.13, 0.11)
_INSTITUTION_DOMAINS = (
    "policia.gob.pe",
    "mpfn.gob.pe",
    "pj.gob.pe",
    "defensoria.gob.pe",
    "mimp.gob.pe",
    "mininter.gob.pe",
    "regionlima.gob.pe",
    "migraciones.gob.pe",
    "sunafil.gob.pe",
    "munilima.gob.pe",
)


def _per_unique(values, func):  # type: ignore[no-untyped-def]
    """func over each distinct value (names repeat: a million records hold a few thousand)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return np.array([func(value) for value in uniques], dtype=object)[codes]


def _identity_records(people, seed: int):  # type: ignore[no-untyped-def]
    """Identity records of the persons (person ids 1..n in frame order, as COPY numbers them),
    with their blocking keys computed as `identity_record_build` does."""
    import numpy as np
    import pandas as pd
    from unidecode import unidecode

    from participants.linkage.synthetic import vocabulary as vocab
    from participants.phonetic import spanish_phonetic_key

    rng = np.random.default_rng(seed + 3)
    shares = np.asarray(RECORD_SHARES, float)
    per_person = rng.choice(
        np.arange(1, len(shares) + 1), size=len(people), p=shares / shares.sum()
    )
    src = np.repeat(np.arange(len(people)), per_person)
    n = len(src)
    first = np.r_[True, src[1:] != src[:-1]]  # as the person was registered
    u = rng.random((n, 8))

    def of(column: str):  # type: ignore[no-untyped-def]
        return people[column].to_numpy(object)[src]

    given, pat, mat = of("given"), of("pat"), of("mat")
    # A second given name dropped.
    given = np.where(u[:, 0] < 0.3, _per_unique(given, lambda v: v.split(" ")[0]), given)
    # The maternal surname missing, or reduced to its initial (with or without a full stop).
    mat = np.where(
        u[:, 1] < 0.10,
        "",
        np.where(
            u[:, 1] < 0.13,
            _per_unique(mat, lambda v: v[:1] + "."),
            np.where(u[:, 1] < 0.16, _per_unique(mat, lambda v: v[:1]), mat),
        ),
    )
    # Accents and case as each partner writes them; one style per record.
    style = u[:, 2]
    names = []
    for values in (given, pat, mat):
        plain_upper = _per_unique(values, lambda v: unidecode(v).upper())
        upper = _per_unique(values, lambda v: v.upper())
        plain = _per_unique(values, unidecode)
        names.append(
            np.where(
                style < 0.35,
                values,
                np.where(style < 0.7, plain_upper, np.where(style < 0.85, upper, plain)),
            )
        )
    given, pat, mat = names
    # A rare institutional address per person, beside the personal one.
    institutional = (
        _per_unique(people["given"].to_numpy(object), lambda v: unidecode(v)[:1].lower())
        + _per_unique(
            people["pat"].to_numpy(object), lambda v: unidecode(v).lower().replace(" ", "")
        )
        + rng.integers(1, 100, len(people)).astype(str).astype(object)
        + "@"
        + np.array(_INSTITUTION_DOMAINS, object)[
            people["institution"].to_numpy() % len(_INSTITUTION_DOMAINS)
        ]
    )[src]
    dni = np.where(u[:, 3] < 0.65, of("true_dni"), "")
    email = np.where(u[:, 4] < 0.4, of("true_email"), np.where(u[:, 4] < 0.7, institutional, ""))
    phone = np.where(u[:, 5] < 0.55, of("phone"), "")
    sex = np.where(u[:, 6] < 0.25, "", of("sex"))
    birth = np.where(u[:, 7] < 0.5, None, of("birth_date"))
    # The first record is the person as registered: its current values.
    given = np.where(first, of("given"), given)
    pat = np.where(first, of("pat"), pat)
    mat = np.where(first, of("mat"), mat)
    dni = np.where(first, of("dni"), dni)
    email = np.where(first, of("email"), email)
    phone = np.where(first, of("phone"), phone)
    sex = np.where(first, of("sex"), sex)
    birth = np.where(first, of("birth_date"), birth)
    birth = np.where(birth == "", None, birth)
    email = _per_unique(email, lambda v: v.strip().lower())
    return pd.DataFrame(
        {
            "person_id": src + 1,
            "source": "roster",
            "created_at": "2025-01-01 00:00:00+00",
            "given_names": given,
            "paternal_surname": pat,
            "maternal_surname": mat,
            "dni": dni,
            "document_type": np.where(dni != "", "dni", ""),
            "document_number": dni,
            "sex": np.where(np.isin(sex, ["F", "M", "X"]), sex, ""),
            "birth_date": birth,
            "email": email,
            "phone": phone,
            "institution": np.array(vocab.INSTITUTIONS, object)[of("institution").astype(int)],
            "role": np.array(vocab.ROLES, object)[of("role").astype(int)],
            "region": np.array(vocab.REGIONS, object)[of("region").astype(int)],
            "paternal_key": _per_unique(pat, spanish_phonetic_key),
            "maternal_key": _per_unique(mat, spanish_phonetic_key),
            "given_key": _per_unique(
                given, lambda v: spanish_phonetic_key(v.split(" ")[0] if v else "")
            ),
        }
    )


def _copy(cursor, table: str, frame, rows_per_chunk: int = 500_000) -> None:  # type: ignore[no-untyped-def]
    columns = list(frame.columns)
    with cursor.cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN "
        "WITH (FORMAT csv, DELIMITER E'\\t', NULL '\\N')"
    ) as copy:
        for start in range(0, len(frame), rows_per_chunk):
            buffer = io.StringIO()
            frame.iloc[start : start + rows_per_chunk].to_csv(
                buffer, index=False, header=False, na_rep="\\N", sep="\t"
            )
            copy.write(buffer.getvalue())


def _load_records(records) -> float:  # type: ignore[no-untyped-def]
    """COPY the identity records with their secondary indexes dropped, then rebuild them."""
    from django.db import connection

    from participants.models import IdentityRecord

    table = IdentityRecord._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # CASCADE: the roster rows that name an identity record go with it (the persons'
        # TRUNCATE above already emptied them; this keeps --reuse of a partial load safe).
        cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        _copy(cursor, table, records)
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("RESET maintenance_work_mem")
        cursor.execute(f"VACUUM ANALYZE {table}")
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
    parser.add_argument(
        "--reuse", action="store_true", help="keep the persons and records already loaded"
    )
    parser.add_argument(
        "--no-records", action="store_true", help="persons only, without identity records"
    )
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from participants.linkage_store import linkage_model_current
    from participants.matching import match_rows
    from participants.models import IdentityRecord, Person

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("refusing: the database name must contain 'bench'")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people = _registry(args.persons, args.seed)
    print(f"generated {len(people):,} persons in {time.perf_counter() - started:.1f} s")
    records = None
    if not args.no_records:
        started = time.perf_counter()
        records = _identity_records(people, args.seed)
        print(
            f"generated {len(records):,} identity records in {time.perf_counter() - started:.1f} s"
        )
    loaded_records = IdentityRecord.objects.count()
    if (
        not args.reuse
        or Person.objects.count() != args.persons
        or loaded_records != (0 if records is None else len(records))
    ):
        print(f"loaded persons with COPY in {_load(people):.1f} s")
        if records is not None:
            print(f"loaded identity records with COPY in {_load_records(records):.1f} s")
        # Link on a fresh connection, as an import does, not on the one that bulk-loaded.
        connection.close()
    del records
    roster = _roster(people, args.roster, args.seed)
    del people
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
        f"match_rows: {len(roster)} rows against {Person.objects.count():,} persons "
        f"({IdentityRecord.objects.count():,} identity records) on {connection.vendor}: "
        f"median {statistics.median(timings):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in timings)})"
    )
    print(f"outcomes: {counts}")


if __name__ == "__main__":
    main()
