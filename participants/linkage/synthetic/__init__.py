"""Labelled synthetic Peruvian rosters for tests and benchmarks."""

from .generator import Messiness, generate_people, generate_records, synthetic_registry, true_pairs

__all__ = ["Messiness", "generate_people", "generate_records", "synthetic_registry", "true_pairs"]
