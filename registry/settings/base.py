"""Settings for the training participant registry.

Everything that differs between machines is read from the environment (or a `.env` file at
the project root), so the same code runs on a laptop with SQLite and in production on
PostgreSQL. `registry.settings.production` tightens these defaults for deployment;
`registry.settings.test` is the suite's.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# The development key is only ever used on a developer's machine (the demo, the tests); production
# settings refuse to start without a real SECRET_KEY.
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-not-for-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# The key of the audit log's seals (audit.chain); empty means SECRET_KEY. Set it on its own
# so that SECRET_KEY can be rotated: a changed key makes every earlier seal fail to verify.
AUDIT_CHAIN_KEY = env.str("AUDIT_CHAIN_KEY", default="")

INSTALLED_APPS = [
    "registry.admin_site.RegistryAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "registry",
    "participants",
    "courses",
    "assessments",
    "intake",
    "review",
    "followup",
    "data_requests",
    "axes",
    "audit",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (django-csp), Permissions-Policy and no-store for signed-in users.
    "csp.middleware.CSPMiddleware",
    "registry.security.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every 403 answered to a signed-in user goes to the audit log (needs request.user).
    "audit.middleware.PermissionDeniedAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A NUL byte in the query string is a 400 (PostgreSQL refuses it in text: it would be a 500).
    "registry.query_guards.NulByteQueryMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into a 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "registry.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "registry" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "registry.context_processors.nav_links",
                "registry.context_processors.home_link",
            ],
        },
    },
]

WSGI_APPLICATION = "registry.wsgi.application"

# In production the application connects as a role that owns no table (it cannot truncate
# the audit log or switch its triggers off); `migrate` runs as the owner role by pointing
# DATABASE_URL at the owner's credentials for that one command, then `manage.py db_roles`
# grants the application's role what it needs (see accounts/db_roles.py).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers (the dashboard) work while an import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # A second writer (two imports confirmed at once) waits for the first one's commit
    # instead of failing with "database is locked" after SQLite's default 5 seconds.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Django's list of common passwords plus a Spanish one, also with digits or symbols added.
    {"NAME": "accounts.passwords.SpanishCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterVarietyValidator"},
    {"NAME": "accounts.passwords.SiteWordsValidator"},
    # Keyboard walks ("qwertyuiopas") and the username with digits around it ("esc_a2024esc_a").
    {"NAME": "accounts.password_patterns.KeyboardPatternValidator"},
    {"NAME": "accounts.password_patterns.UserDerivedPasswordValidator"},
]

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es", "Español"), ("en", "English")]
TIME_ZONE = "America/Lima"
USE_I18N = True
# The project catalogue (locale/es) translates the English source strings; "es-pe" falls back to it.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True
# Peru writes "0.85" and "1,234": formats/es_PE overrides Django's decimal-comma `es`.
FORMAT_MODULE_PATH = ["formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "registry" / "static"]

LOGIN_URL = "admin:login"
# "Salir" (the admin's sign-out) ends on the site's sign-in form, in Spanish like the rest.
LOGOUT_REDIRECT_URL = "reports:login"

# Sign-in throttling (django-axes): five failures for the same username from the same address
# lock that pair out for an hour. The axes backend comes first so a locked-out pair is refused
# before its password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# axes logs every failure; this keeps usernames (personal data) out of the application log.
AXES_CLIENT_STR_CALLABLE = "accounts.throttling.client_str"
AXES_VERBOSE = False
# The lockout answer (429) is the site's own page, in Spanish.
AXES_LOCKOUT_TEMPLATE = "429.html"
# Behind a reverse proxy the lockout and the audit log must key on the client's address, not
# the proxy's: the number of trusted proxies in front of the registry and the header they
# append the client's address to. 0 (no proxy): REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="X-Forwarded-For")
AXES_CLIENT_IP_CALLABLE = "audit.client_address.axes_client_address"

# Look-ups of the registry by school staff per user and hour (accounts.lookup_limits): duplicate
# hints while typing, registration attempts, roster previews.
SCHOOL_LOOKUP_LIMITS = {
    "registration_hint": env.int("SCHOOL_HINTS_PER_HOUR", default=600),
    "registration": env.int("SCHOOL_REGISTRATIONS_PER_HOUR", default=100),
    "roster_preview": env.int("SCHOOL_PREVIEWS_PER_HOUR", default=20),
}

# Sessions of people who handle personal data expire: two hours, and at browser close.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: scripts, styles, images and fonts come from the registry itself and
# nothing inline runs, so an injected <script> or style="" does nothing. The one hash is the
# <style> that Django's admin/change_list.html writes when a change list has no actions
# (tests/security checks it against the installed Django).
ADMIN_CHANGE_LIST_STYLE_HASH = "'sha256-blvLUW3UscWqsXGByNOqdBboM+ShWAuugp2mC/wbafU='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", ADMIN_CHANGE_LIST_STYLE_HASH],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Rosters waiting for confirmation; empty: a folder in the system's temporary directory.
# Either way it must be the server user's alone (mode 0700), or previews are refused.
ROSTER_PREVIEW_DIR = env.str("ROSTER_PREVIEW_DIR", default="")
# Upper bound for an uploaded roster, in bytes (checked before anything is parsed).
ROSTER_MAX_UPLOAD_BYTES = env.int("ROSTER_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# A roster is read as a stream and refused as soon as a row reaches past this many columns or
# the file past this many cells (rows x widest row), so no file under the upload limit can
# take more than a bounded amount of memory to preview. 120,000 cells is 10,000 rows of 12
# columns, far more than any cohort; the preview of such a file (planning and within-file
# linkage included) stays within about 15 MB and a few seconds of a running server
# (benchmarks.hostile_rosters), where 300,000 cells took 390 MB.
ROSTER_MAX_COLUMNS = env.int("ROSTER_MAX_COLUMNS", default=200)
ROSTER_MAX_CELLS = env.int("ROSTER_MAX_CELLS", default=120_000)
# An XLSX unpacks to a few times its size; a roster within the cell limit to far less.
ROSTER_MAX_UNPACKED_BYTES = env.int("ROSTER_MAX_UNPACKED_BYTES", default=64 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = ROSTER_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = ROSTER_MAX_UPLOAD_BYTES + 1024 * 1024

# Record linkage thresholds (match probability): at or above AUTO_LINK the row joins the
# existing person; between REVIEW and AUTO_LINK the pair goes to the review queue. A pair
# without DNIs whose names agree but for a missing maternal surname or second given name is
# often scored 0.1-0.5 although about half of such pairs are one person: queued from 0.1,
# the realistic benchmark's persons after review went from +1.39 % to +0.68 % for a queue of
# 4.8 % of the rows instead of 3.8 %.
# Small-cell suppression of every published aggregate (registry/reports/disclosure): a count
# of 1 to k - 1 persons or participations is withheld ("< 5"), with complementary cells so it
# cannot be recovered from the sums; courses marked sensitive (survivors of trafficking,
# groups at risk) use the higher threshold.
SUPPRESSION_THRESHOLD = env.int("SUPPRESSION_THRESHOLD", default=5)
SENSITIVE_SUPPRESSION_THRESHOLD = env.int("SENSITIVE_SUPPRESSION_THRESHOLD", default=10)
LINKAGE_AUTO_LINK_THRESHOLD = env.float("LINKAGE_AUTO_LINK_THRESHOLD", default=0.996)
LINKAGE_REVIEW_THRESHOLD = env.float("LINKAGE_REVIEW_THRESHOLD", default=0.1)
# Expected duplicates per person when `manage.py dedupe` re-examines the registry (its prior):
# far fewer than in raw rosters, since every import already links what it can.
LINKAGE_REGISTRY_DUPLICATE_RATE = env.float("LINKAGE_REGISTRY_DUPLICATE_RATE", default=0.02)

# django-import-export (the vocabularies' spellings, registry/admin/vocabulary_exchange.py): a
# file imports in one transaction after a preview, and only for who may add / view the model.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# The registry's own writers escape formulas (the package's escaper only drops a leading "=").
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # DNIs, e-mails and phones never reach the log, even inside an error's text.
    "filters": {"personal_data": {"()": "registry.log_redaction.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
