"""The courses app's models: courses and who took part (`courses`), and how the rosters of
each school or provider are read (`column_profiles`), and where every imported fact came from
(`provenance`: the file and each of its rows)."""

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
from courses.models.provenance import BatchStatus, ImportBatch, RowOutcome, SourceRecord

__all__ = [
    "COMPONENT_OF_OBJECTIVE",
    "COURSE_GROUPS",
    "COURSE_INDICATORS",
    "KNOWLEDGE_INDICATORS",
    "MEASUREMENTS",
    "BatchStatus",
    "Cohort",
    "ColumnProfile",
    "Component",
    "Course",
    "Enrollment",
    "ImportBatch",
    "Indicator",
    "IndicatorKind",
    "IndicatorLevel",
    "Modality",
    "ParticipantGroup",
    "RowOutcome",
    "School",
    "SourceRecord",
]
