"""Samtale's settings: one file, every knob an environment variable, SQLite by default.

Every variable is listed in README.md ("Settings"). Production refuses to start
without a secret key; development (SAMTALE_DEBUG=1) gets a fixed, public one.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("SAMTALE_DEBUG", False)

SECRET_KEY = env("SAMTALE_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SAMTALE_SECRET_KEY (a long random string), or SAMTALE_DEBUG=1 for development.")
    SECRET_KEY = "django-insecure-samtale-development-only-never-in-production"  # noqa: S105 (public on purpose)

ALLOWED_HOSTS = envlist("SAMTALE_ALLOWED_HOSTS", "127.0.0.1,localhost")
# Absolute links in e-mails (invitations, password resets) start with this.
BASE_URL = env("SAMTALE_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Whose Samtale this is: shown in the header of every page and on every printed document.
ORGANISATION_NAME = env("SAMTALE_ORGANISATION_NAME", "")
# The organisation's logo, optional: a PNG, JPEG or SVG file on this machine, shown beside the name
# in the header, on the PDFs and in the e-mails (served at /logo/).
ORGANISATION_LOGO = env("SAMTALE_ORGANISATION_LOGO", "")
CSRF_TRUSTED_ORIGINS = envlist("SAMTALE_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django and third-party apps first, ours last, so that our models may import theirs at start-up.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # so that templates/django/forms/ can refine Django's own form templates
    "django_htmx",
    "django_tasks_db",
    # Samtale's domain apps.
    "samtale.accounts",
    "samtale.audit",
    "samtale.outbox",
    "samtale.org",
    "samtale.competences",
    "samtale.rounds",
    "samtale.conversations",
    "samtale.plans",
    "samtale.completion",
    "samtale.oversight",
    "samtale.surveys",
    "samtale.learning",
    "samtale.privacy",
    "samtale.access",
    "samtale.dashboards",
    "samtale.jobs",
    "samtale.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "samtale.accounts.middleware.UserLanguageMiddleware",
    "samtale.accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
if envbool("SAMTALE_SERVER_TIMING", False):  # samtale/lib/server_timing.py; the benchmarks set it
    MIDDLEWARE.insert(0, "samtale.lib.server_timing.ServerTimingMiddleware")

ROOT_URLCONF = "samtale.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "samtale.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samtale.dashboards.navigation.navigation",
            ],
            # Dates and counts in the language's formats, in every template (samtale/lib/formatting.py).
            # Links to pages worked out once per process (samtale/lib/links.py).
            "builtins": ["samtale.lib.formatting", "samtale.lib.interface", "samtale.lib.links"],
        },
    },
]

# Database: SQLite next to the code unless DATABASE_URL names another (PostgreSQL in production).
DATABASES: dict[str, Any] = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("SAMTALE_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the task worker write to the same file: WAL lets readers go on
    # while one writes, IMMEDIATE transactions queue writers instead of failing them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        # secure_delete: what retention and erasure delete is overwritten in the file, not only
        # unlinked (docs/trust.md § Erasure and retention).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SAMTALE_TEST_DB_NAME") or None}
elif envbool("SAMTALE_DB_PREPARED", True):
    # Parameters bound by the server and each statement prepared from its second run on a
    # connection: PostgreSQL plans a page's joins once per connection instead of on every
    # request. Planning was most of the SQL time (a conversation's main read: 2.2 ms to plan,
    # 0.1 ms to run; SQL a page 7-9 -> 2-3 ms); bench/profile_pages.py --queries shows both. A
    # kept plan lives as long as its connection (SAMTALE_DB_CONN_MAX_AGE) and is made again when
    # a table's statistics change: autovacuum's, and lib.bulk.statistics_refresh's after an import
    # or a launch. Off (SAMTALE_DB_PREPARED=0) behind a connection pooler that cannot keep
    # prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"]["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 2}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["samtale.accounts.backends.EmploymentBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password-reset link is valid for a day; an invitation link (accounts created by import) for two weeks.
PASSWORD_RESET_TIMEOUT = envint("SAMTALE_PASSWORD_RESET_HOURS", 24) * 3600
SAMTALE_INVITATION_TIMEOUT = envint("SAMTALE_INVITATION_DAYS", 14) * 86400
# Throttling of failed sign-ins: per account and per client address, each with its own limit,
# counted over the cool-off window.
SAMTALE_LOGIN_FAILURES_PER_ACCOUNT = envint("SAMTALE_LOGIN_FAILURES_PER_ACCOUNT", 5)
SAMTALE_LOGIN_FAILURES_PER_ADDRESS = envint("SAMTALE_LOGIN_FAILURES_PER_ADDRESS", 30)
SAMTALE_LOGIN_COOLOFF = timedelta(minutes=envint("SAMTALE_LOGIN_COOLOFF_MINUTES", 15))
# How many reverse proxies in front of Samtale append to X-Forwarded-For (0: use REMOTE_ADDR).
SAMTALE_PROXY_COUNT = envint("SAMTALE_PROXY_COUNT", 0)

# Sessions end after a working day, and when the browser closes. Kept in the database (signing out
# ends them everywhere), read by one prepared statement (samtale/accounts/sessions.py).
SESSION_ENGINE = "samtale.accounts.sessions"
SESSION_COOKIE_AGE = envint("SAMTALE_SESSION_HOURS", 8) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Language and time: Danish first, English by choice; Danish time.
LANGUAGE_CODE = env("SAMTALE_LANGUAGE", "da")
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# How each language writes dates, times and numbers (samtale/formats): Danish as Danes do, English
# as the English do; templates name a format ("DATE_FORMAT"), never spell one out.
FORMAT_MODULE_PATH = ["samtale.formats"]
TIME_ZONE = env("SAMTALE_TIME_ZONE", "Europe/Copenhagen")
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "samtale_language"
LANGUAGE_COOKIE_SECURE = envbool("SAMTALE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files, served by WhiteNoise from the same process; public/ at the site's root (/favicon.ico).
STATIC_URL = "static/"
WHITENOISE_ROOT = BASE_DIR / "public"
STATIC_ROOT = Path(env("SAMTALE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Mail: every message goes through the outbox (samtale.outbox); this is where the outbox delivers it.
# Without a mail server configured, messages are printed on the worker's console.
DEFAULT_FROM_EMAIL = env("SAMTALE_FROM_EMAIL", "Samtale <samtale@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("SAMTALE_EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("SAMTALE_EMAIL_HOST"),
                "port": envint("SAMTALE_EMAIL_PORT", 587),
                "username": env("SAMTALE_EMAIL_USER") or None,
                "password": env("SAMTALE_EMAIL_PASSWORD") or None,
                "use_tls": envbool("SAMTALE_EMAIL_TLS", True),
                "timeout": envint("SAMTALE_EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Background work: django.tasks with the database backend; `manage.py db_worker` runs it.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# Organisation import limits, checked before a file is parsed.
SAMTALE_IMPORT_MAX_BYTES = envint("SAMTALE_IMPORT_MAX_MB", 30) * 1024 * 1024
SAMTALE_IMPORT_MAX_ROWS = envint("SAMTALE_IMPORT_MAX_ROWS", 250_000)

# How long each kind of record is kept, where the organisation's rules differ from the defaults:
# "preparations=6,emails=30" (months, or days for e-mails), each within the floor and ceiling the
# code keeps (samtale.privacy.schedule; docs/trust.md § Erasure and retention).
SAMTALE_RETENTION = env("SAMTALE_RETENTION", "")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers. SAMTALE_SECURE (on unless debugging) assumes HTTPS in front of Samtale.
SECURE = envbool("SAMTALE_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "samtale.dashboards.errors.csrf_failure"
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE and envbool("SAMTALE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("SAMTALE_BEHIND_HTTPS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Permissions-Policy: Samtale uses no camera, microphone, location or other device feature, so
# neither it nor anything that might be injected into it may ask for one.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
} | {"fullscreen": ["self"], "clipboard-write": ["self"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SAMTALE_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks_db": {"level": "WARNING"},
        # WeasyPrint reports each step of every PDF at INFO; only its warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
