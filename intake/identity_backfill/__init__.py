"""Identity records for roster rows committed before identity records existed.

Since identity records (`participants.models.IdentityRecord`), every imported row linked to
a person is one more description of that person. Rows committed earlier have none, so what
they said (another spelling, a second DNI, an e-mail) helps no match. The back-fill gives
each such row the record its import would make today:

- The stored raw cells (`SourceRecord.raw`, kept verbatim) are read through the import's own
  staging (`intake.roster_import.staging.stage_rows`), the batch's header mapping rebuilt
  from the headers the cells are keyed by; the values are normalised as the import does
  (`participants.services.person_build`) and the record is built by
  `participants.identity.records.identity_record_build`, whose name keys come from the one
  key rule (`participants.phonetic.name_keys`). The record's time is the row's.
- The record goes to the person the row was linked to. A merge moves the row to the
  survivor but leaves the merged person's records where they are (so an unmerge needs no
  bookkeeping): the merge history is followed back so that the record lands where the
  import would have put it.
- A document another active person holds is left off the record, as the import leaves off
  a DNI it may not attach: it stays in the row's raw cells, and the engine would otherwise
  read it as evidence that two persons are one.
- A row that today's reading refuses (no surname, a filler in the surname column ...) gets
  no record and is reported with the reason; so is a row of a cancelled person, whose cells
  were redacted and must not describe anyone again.

- `batches`: the run, one import batch per transaction, audited with its counts.
- `row_values`: what each row's record says, read as today's import reads it, or why the
  row gets none.
- `record_owners`: the person each record goes to (merges followed back), and the
  documents left off because another active person holds them.
- `report`: what a run created, found present, left off or could not read.
- `migration_models`: the same code over a migration's models or today's.
"""
