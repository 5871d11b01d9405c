"""A person as a cluster of identity records: recording them and what a person shows.

- `records`: keep each description of a person (roster row, registration, correction).
- `survivorship`: the values a person displays, chosen over its records.

Splitting a person whose records carry two DNIs that cannot both be theirs is `review.splits`.
"""
