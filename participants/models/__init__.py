from .identity import IdentityRecord, RecordSource
from .linkage import LinkageParameters
from .person import Person, PersonStatus, Sex
from .provenance import BatchStatus, ImportBatch, RowOutcome, SourceRecord
from .review import Decision, DuplicateCandidate, MergeRecord, SplitCandidate
from .vocabulary import (
    Institution,
    InstitutionAlias,
    Region,
    RegionAlias,
    Role,
    RoleAlias,
    Sector,
)

__all__ = [
    "BatchStatus",
    "Decision",
    "DuplicateCandidate",
    "IdentityRecord",
    "ImportBatch",
    "Institution",
    "InstitutionAlias",
    "LinkageParameters",
    "MergeRecord",
    "Person",
    "PersonStatus",
    "RecordSource",
    "Region",
    "RegionAlias",
    "Role",
    "RoleAlias",
    "RowOutcome",
    "Sector",
    "Sex",
    "SourceRecord",
    "SplitCandidate",
]
