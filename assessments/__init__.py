"""Pre- and post-test scores of an enrollment: raw score, scale maximum and percentage."""
