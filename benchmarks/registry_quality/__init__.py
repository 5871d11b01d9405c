"""Benchmark: how well the registry counts unique people, on the path users take.

    python -m benchmarks.registry_quality [--seed N] [--persons 3100] [--rosters 100]
        [--setting realistic|namesakes]
        [--database-url postgres://postgres@127.0.0.1:5432/rq_bench] [--review-rounds 3]
        [--dedupe] [--skip-reverse] [--skip-engine] [--json out.json] [--keep] [--verbose]

1. Generates labelled rosters (`generator`): about 3,100 people in about 100 rosters over
   2019-2024 (about 6,200 rows), written the way Peruvian partners and their tools write
   them. Names at Peru's frequencies (`names`: Quispe about 4 % of people, the top 20
   surnames about 28 %, a long tail; María, José, Juan and the usual compound given names),
   or with --setting namesakes a stress test where a few surnames and given names cover most
   people. Three rosters in four come in the four partner layouts, one in four as a tool
   exports it (Moodle's grade export, a Google Forms responses sheet: `layouts`). The rows
   have what real rosters have (`spelling`): missing and mistyped DNIs, placeholder DNIs,
   DNIs with the card's check digit, dots, spaces or the word "DNI", a foreigner's carné de
   extranjería or passport in the DNI column; Quechua and Aymara surnames in several
   spellings (Huamán, Guamán, Waman), a married woman's "de" and her husband's surname, a
   second given name signed alone or dropped, "De la Cruz" as "Delacruz" or "Cruz", the
   maternal surname cut to an initial or swapped; staff turnover, personal / institutional
   / shared e-mail, repeated rows, junk lines. The labels map (file, spreadsheet row) ->
   true person id.
2. Creates a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
   of --database-url dropped and re-created) and runs the real commands as subprocesses:
   `migrate`, `import_rosters --manifest --commit-valid`, then the rows each person became
   (`row_persons`, read through `manage.py shell`).
3. Scores the export: pairwise precision / recall / F1 over roster rows, predicted vs true
   unique persons, the review queue as a share of rows, rejected rows (rows the import
   rejects, or files it refuses, are left out of the scores and counted). Shows, by layout,
   what the import read of each field (`reading`): a column it does not recognise is lost.
4. Answers the queue from the labels (`review_export`, fill `decision`, `review_import`) and
   scores again, up to --review-rounds times; optionally `dedupe` too.
5. Imports the rosters in reverse order into a second fresh database: does the count move?
6. Runs the linkage engine alone in memory over all rows, for comparison.
7. Prints each measure against its target (`report`). Not a test: it asserts nothing.
"""
