"""The admin pages of the registry's records: persons and their identity records, the
vocabularies, import provenance and linkage decisions, courses and cohorts, scores. They live
in the project shell because each page is scoped by the access policy (`accounts`), which
sits above the apps whose records they show."""

from registry.admin import (  # noqa: F401  (registers them)
    assessments,
    courses,
    linkage,
    persons,
    provenance,
    vocabularies,
)
