"""Identity: one `Person` per trainee with a participant code, identity records, the
vocabularies of regions, institutions and roles, import provenance, the review queue's
records, name and DNI normalisation, the Django-free linkage engine (linkage/), matching
(matching/: the one "same person?" seam), the one merge-chain walker and the one "counted
data changed" signal (changes.py). It imports only `audit`, `spreadsheets` and `formats`;
the actions on these records live in `review`, `intake` and `data_requests`."""
