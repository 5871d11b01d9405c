"""Settings for the test suite: the development settings with a fast password hasher.

Production hashes passwords with PBKDF2 at Django's full iteration count on purpose; the
suite signs users in thousands of times, and there the hashing alone took more than half
of its run time. MD5 is used here only because nothing stored by a test is a real secret.
"""

from registry.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
