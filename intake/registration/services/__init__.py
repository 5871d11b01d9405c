"""Writes behind the school pages: cohorts, registrations (with consent) and scores.

- `registering`: cohorts, a participant's registration in a cohort and the cohort's scores.
"""
