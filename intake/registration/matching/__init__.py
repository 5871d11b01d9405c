"""Possible existing registrations for what a school user is typing (and submits).

- `as_seen`: the linkage engine's candidates for the typed values, and what a user may see
  of them.
"""
