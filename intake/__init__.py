"""Roster intake and school registration: the ways participants enter the registry.

A roster file is read, previewed with every row's outcome, confirmed and committed in one
transaction (`roster_import`, `admin_import` for the admin's upload pages, the `import_roster(s)`
commands); a school's staff register one participant at a time (`registration`). Both decide
"same person?" through `participants.matching` and write enrollments and scores.
"""
