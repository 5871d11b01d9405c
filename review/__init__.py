"""The review queue: possible duplicates decided by registry administrators, and merges."""
