"""Production settings: everything in `registry.settings.base`, hardened for deployment.

`python manage.py check --deploy --settings=registry.settings.production` reports nothing
when SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are set in the environment.
"""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# No default: a deployment without its own key must fail to start.
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
