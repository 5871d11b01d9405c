"""Quality and speed benchmark of the linkage engine: ``python -m benchmarks.linkage``."""
