"""Tunable settings of the linkage engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

DniConflictPolicy = Literal["any_difference", "beyond_typo", "none"]


@dataclass(frozen=True)
class LinkageConfig:
    """Thresholds and blocking options.

    Scores are Fellegi-Sunter match weights: ``score = log2(posterior odds of a match)``, so
    ``probability = 1 / (1 + 2 ** -score)``. A score of 0 is a coin toss, 8 is 256:1 (p = 0.996).

    - ``upper_threshold``: at or above, pairs are linked automatically.
    - ``lower_threshold``: at or above (and below the upper one), pairs go to human review;
      below, the record is treated as a new person.
    - ``dni_conflict``: which DNI disagreements forbid an automatic link and a shared cluster.
      ``"any_difference"`` (default): two different valid 8-digit DNIs, even one typo apart,
      never auto-link (the pair can still reach review). ``"beyond_typo"``: only DNIs that are
      not explained by one wrong digit or one transposition conflict. ``"none"``: the DNI is
      only evidence (used for data sets where the id is a noisy attribute, such as FEBRL).
    - ``max_block_size``: blocking keys shared by more records than this are skipped, because a
      key that common ("QUISPE JUAN") says little and would flood the comparison step.
    - ``sorted_window``: window of the sorted-neighbourhood pass on the name key (0 disables).
    - ``extra_fields``: additional string columns compared fuzzily (exact / close / different),
      for data sets with addresses; they must exist in both frames.
    - ``extra_blocks``: additional blocking passes, each a tuple of columns whose values must
      all be present and equal (e.g. ``(("postcode", "street_number"),)``).
    - ``link_match_rate``: expected share of roster rows already in the registry; sets the
      prior of ``link``.
    - ``tf_min_frequency``: floor of a value's frequency in the term-frequency adjustment, so
      one very rare value cannot by itself carry a pair over the threshold.
    - ``weak_evidence_bits``: cap on the weight of institution or region agreement (weak
      evidence only: officials move); 0 leaves them out of the model.
    - ``m_floor``: smallest probability of any agreement level among true matches, so that one
      disagreeing field (a mistyped sex or birth date) cannot veto a pair on its own.
    - ``dni_typo_links``: two valid DNIs one typo apart (one digit, or two adjacent digits
      swapped) do not forbid an automatic link when the names agree in full (given names
      equal or one dropped, paternal surname equal, maternal surname not different): a
      namesake whose DNI is one keystroke from hers is far rarer than a typo. Clusters then
      accept such DNIs together (never two further apart).
    - ``names_must_agree``: a pair whose first given names or paternal surnames disagree
      never links automatically, however much else agrees (a shared office inbox, a
      colleague's phone); it can still reach review. Off for data sets whose names carry
      heavy typing noise by design (FEBRL).
    - ``seed`` / ``u_sample_pairs``: the random pairs used to estimate how often non-matches
      agree by chance (u probabilities).
    """

    upper_threshold: float = 8.0
    lower_threshold: float = 0.0
    dni_conflict: DniConflictPolicy = "any_difference"
    max_block_size: int = 300
    sorted_window: int = 5
    use_dni_variants: bool = True
    use_contact_blocks: bool = True
    extra_fields: tuple[str, ...] = ()
    extra_blocks: tuple[tuple[str, ...], ...] = ()
    link_match_rate: float = 0.5
    tf_min_frequency: float = 2e-5
    tf_adjusted: bool = True
    m_floor: float = 0.005
    weak_evidence_bits: float = 2.0
    names_must_agree: bool = True
    dni_typo_links: bool = True
    em_max_iterations: int = 100
    u_sample_pairs: int = 300_000
    seed: int = 20261127

    @property
    def cluster_dni_policy(self) -> DniConflictPolicy:
        """Which DNI sets a cluster may not hold together (see ``dni_typo_links``)."""
        if self.dni_typo_links and self.dni_conflict == "any_difference":
            return "beyond_typo"
        return self.dni_conflict

    def __post_init__(self) -> None:
        if self.lower_threshold > self.upper_threshold:
            raise ValueError("lower_threshold must not exceed upper_threshold")


DEFAULT_CONFIG = LinkageConfig()
