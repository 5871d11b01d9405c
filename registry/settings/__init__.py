"""The project's settings, one module per use.

- ``base``: every setting, read from the environment (or a ``.env`` file), with development
  defaults; ``registry.settings`` itself is these (``manage.py`` and the benchmarks use it);
- ``test``: the suite's (a fast password hasher), set in pyproject.toml;
- ``production``: hardened for deployment, the default of ``wsgi.py`` and ``asgi.py``.
"""

from registry.settings.base import *  # noqa: F403
