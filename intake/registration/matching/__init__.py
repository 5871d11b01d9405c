"""Possible existing registrations for what a school user is typing (and submits).

- `scoring`: the registry persons the typed values may describe, scored by the import's
  linkage engine; for the services and the audit log, never for a page.
- `as_seen`: those candidates as a user may see them (code, name, reasons and probability
  only where the user may read them; elsewhere a yes/no hint), and the candidate a user
  chose, if they may enroll it.
- `live_hint`: the hint while typing, which answers for a person, never for a DNI.
"""
