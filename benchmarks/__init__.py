"""Benchmark commands: each prints its measurements (never timed tests)."""
