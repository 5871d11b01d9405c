"""The courses app's models: courses and who took part (`courses`), and how the rosters of
each school or provider are read (`column_profiles`)."""

from courses.models.column_profiles import ColumnProfile
from courses.models.courses import (
    COMPONENT_OF_OBJECTIVE,
    COURSE_GROUPS,
    COURSE_INDICATORS,
    KNOWLEDGE_INDICATORS,
    MEASUREMENTS,
    Cohort,
    Component,
    Course,
    Enrollment,
    Indicator,
    IndicatorKind,
    IndicatorLevel,
    Modality,
    ParticipantGroup,
    School,
)

__all__ = [
    "COMPONENT_OF_OBJECTIVE",
    "COURSE_GROUPS",
    "COURSE_INDICATORS",
    "KNOWLEDGE_INDICATORS",
    "MEASUREMENTS",
    "Cohort",
    "ColumnProfile",
    "Component",
    "Course",
    "Enrollment",
    "Indicator",
    "IndicatorKind",
    "IndicatorLevel",
    "Modality",
    "ParticipantGroup",
    "School",
]
