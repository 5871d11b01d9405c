"""Linkage of persons that are clusters of records, not single records.

A person in the registry is every record that ever described them: one roster gave the DNI,
another the institutional e-mail, a third a fuller name. A new row is compared with each
record of every candidate person, and the evidence is pooled per person, feature by feature:
the best agreement level any of the person's records reaches (the DNI they showed once, the
address they used in 2021), with the term frequency of the value that agreed. A person is a
candidate when any of its records shares a blocking key with the row; all of its records are
then compared.

The DNI is judged on the whole person: a row whose valid DNI is none of the person's valid
DNIs never links automatically, even when the record it matches best carries no DNI at all.

- ``linking``: new rows against the registry's persons (``link_groups``).
- ``dedupe``: duplicates among the registry's persons (``dedupe_groups``).
- ``pooling``: the evidence of many record pairs pooled into one comparison per person pair,
  the rule both share.
"""
