"""The features a comparison scores, and what their agreement levels mean to the model.

Every feature has level 0 = "not comparable" (a value missing on either side): it then adds
no evidence either way, which is how a missing maternal surname or DNI must behave. The
catalogue is kept apart from the rules that compute the levels (``agreement_levels``) because
the model, the reasons and the recordlinkage adapters need the features and their levels
without comparing anything.
"""

from __future__ import annotations

from .config import LinkageConfig

# Feature name -> number of levels (including 0). Higher level = stronger agreement.
BASE_FEATURES: dict[str, int] = {
    "given": 6,  # 1 differ, 2 one shared token, 3 typo, 4 one name dropped, 5 equal
    "paternal": 4,  # 1 differ, 2 similar/phonetic, 3 equal
    "maternal": 5,  # 1 differ, 2 initial agrees, 3 similar/phonetic, 4 equal
    "dni": 4,  # 1 different, 2 one digit off / transposed, 3 equal (incl. lost leading zero)
    "birth_date": 4,  # 1 differ, 2 one component off or day/month swapped, 3 equal
    "sex": 3,  # 1 differ, 2 equal (only F/M count as recorded)
    "email": 4,  # 1 differ, 2 same local part, 3 equal
    "phone": 3,  # 1 differ, 2 equal
}
EXTRA_LEVELS = 4  # 1 differ, 2 similar, 3 equal
TF_LEVELS = {
    "given": (4, 5),
    "paternal": (3,),
    "maternal": (4,),
    # An address or phone shared by an office's staff says less than a personal one.
    "email": (3,),
    "phone": (2,),
}
# Officials use several addresses and phones (personal, institutional): a different one is
# no evidence against a match (its weight is floored at 0, see LinkageModel.weights).
MULTI_VALUED_FEATURES = ("email", "phone")
# Levels of identifiers that are also blocking keys: every pair agreeing on them is a
# candidate, so their chance agreement is estimated on the candidates (see classifying).
BLOCKED_ID_LEVELS = {"dni": (2, 3), "email": (3,), "phone": (2,)}
NAME_FEATURES = ("given", "paternal", "maternal")

# Officials change institution and region between courses: agreement is only weak evidence
# (its weight is capped, see LinkageModel.weights) and disagreement almost none.
WEAK_FEATURES = ("institution", "region")


def feature_levels(config: LinkageConfig) -> dict[str, int]:
    weak = {f"weak:{name}": 3 for name in WEAK_FEATURES} if config.weak_evidence_bits > 0 else {}
    extra = {f"extra:{name}": EXTRA_LEVELS for name in config.extra_fields}
    return {**BASE_FEATURES, **weak, **extra}
