"""Benchmark: how well the registry counts unique people, on the path users take.

    python -m benchmarks.registry_quality [--seed N] [--persons 3100] [--rosters 100]
        [--database-url postgres://postgres@127.0.0.1:5432/rq_bench] [--review-rounds 3]
        [--dedupe] [--skip-reverse] [--skip-engine] [--json out.json] [--keep] [--verbose]

1. Generates labelled partner rosters (`generator`): about 3,100 people in about 100 rosters
   over 2019-2024 (about 6,200 rows) in the four layouts the import reads, with what real
   rosters do (missing and mistyped DNIs, placeholder DNIs, name variants, namesakes, staff
   turnover, personal / institutional / shared e-mail, repeated rows, junk lines). The labels
   map (file, spreadsheet row) -> true person id.
2. Creates a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
   of --database-url dropped and re-created) and runs the real commands as subprocesses:
   `migrate`, `import_rosters --manifest --commit-valid`, `export_participations`.
3. Scores the export: pairwise precision / recall / F1 over roster rows, predicted vs true
   unique persons, the review queue as a share of rows, rejected rows.
4. Answers the queue from the labels (`review_export`, fill `decision`, `review_import`) and
   scores again, up to --review-rounds times; optionally `dedupe` too.
5. Imports the rosters in reverse order into a second fresh database: does the count move?
6. Runs the linkage engine alone in memory over all rows, for comparison.
7. Prints each measure against its target (`report`). Not a test: it asserts nothing.
"""
