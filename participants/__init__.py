"""Identity: one `Person` per trainee with a participant code, identity records, the
vocabularies of regions, institutions and roles, import provenance, name and DNI
normalisation, the Django-free linkage engine (linkage/), matching (matching/), the review
queue, merges, splits and dedupe, and data requests."""
