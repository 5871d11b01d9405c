from .identity import IdentityRecord, RecordSource
from .linkage import LinkageParameters
from .person import Person, PersonStatus, Sex, sex_labels
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
    "Decision",
    "DuplicateCandidate",
    "IdentityRecord",
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
    "Sector",
    "Sex",
    "SplitCandidate",
    "sex_labels",
]
