"""Training: the logframe's indicators, courses, cohorts, schools, enrollments (with the
institution, role and region as at the training), roster import (roster_import/) and school
registration (registration/)."""
