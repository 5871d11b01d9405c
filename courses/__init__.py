"""Training: the logframe's indicators, courses, cohorts, schools, enrollments (with the
institution, role and region as at the training), the roster column profiles schools keep,
and mapping a new spelling to a vocabulary entry (which re-maps enrollments). Rosters and
school registrations come in through `intake`."""
