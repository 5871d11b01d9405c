"""The append-only, hash-chained audit log: its events, triggers, verification
(`manage.py audit_verify`) and the middleware that records refusals."""
