"""Persons as linkage-engine records, read from the database.

The engine (`participants.linkage`) works on DataFrames in the canonical record schema. This
package builds them: the whole registry for `dedupe`, and for a roster only the persons that
share a blocking key with one of its rows, fetched through indexed columns so that linking a
roster stays fast however large the registry grows.

- `descriptions`: every description of persons (current values, identity records) as
  canonical records;
- `blocking`: the persons that share a blocking key with a roster's rows;
- `merged_persons`: the active person each person is today, and who was merged into whom;
- `sql`: the IN conditions and the raw fetch the others read with.
"""
