"""Writes behind the school pages: cohorts, registrations (with consent) and scores.

- `cohorts`: a cohort, created by school staff for their own school.
- `registering`: a participant's registration in a cohort, the existing person enrolled
  instead of a second one (its docstring tells how double counting is prevented).
- `outcomes`: what a registration answers: its result, a refusal the school may read, or a
  question before anything is written.
- `dni_holder`: a typed DNI that already belongs to a registered person: the names must
  agree, and what happens when they do not.
- `linkage_candidates`: without a DNI the registry knows, the linkage engine's candidates:
  the person the user chose, or a new one queued beside them as a possible duplicate.
- `score_sheet`: the pre/post scores of a cohort's enrollments.
"""
