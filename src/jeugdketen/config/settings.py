"""Django settings. Configuration comes only from environment variables (see env.py and
docs/operations.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

from jeugdketen.config import env, mail

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = env.secret_key()
# Mixed into the seed of every simulation run (steering.simulation.run.stream_seed), so that a
# run cannot be replayed offline from its public code and the seed the analyst picked.
SIMULATION_KEY = os.environ.get("SIMULATION_KEY") or SECRET_KEY
DEBUG = env.flag("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# Demo mode: says DEMO on every page; may switch off two-factor authentication.
DEMO = env.flag("JEUGDKETEN_DEMO", False)
# Two-factor authentication for every role that sees personal data. Only a demo run may
# switch it off, and then every page shows a warning.
REQUIRE_2FA = env.flag("JEUGDKETEN_REQUIRE_2FA", True) or not DEMO
# Behind a TLS-terminating proxy: secure cookies and HSTS.
HTTPS = env.flag("JEUGDKETEN_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",
    "jeugdketen.access",
    "jeugdketen.ui",
    "jeugdketen.brp",
    "jeugdketen.registry",
    "jeugdketen.chainlog",
    "jeugdketen.referral_index",
    "jeugdketen.guide",
    "jeugdketen.plans",
    "jeugdketen.analysis",
    "jeugdketen.intake",
    "jeugdketen.insight",
    "jeugdketen.steering",
    "jeugdketen.web",
    "jeugdketen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "jeugdketen.web.middleware.SecondFactorMiddleware",
    # Last, so that their checks run before any view or process_view reads the body and
    # their response rules see every answer of a view (config/middleware.py).
    "jeugdketen.config.middleware.ResponseRulesMiddleware",
    "jeugdketen.config.middleware.BodyLimitMiddleware",
]

# Request bodies over this size are answered 413 before anything reads them.
MAX_BODY_BYTES = env.positive_int("JEUGDKETEN_MAX_BODY_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_BODY_BYTES
# How long a writer waits for another writer's lock before it gives up; the request is then
# answered 503 "busy, try again" with Retry-After (SQLite's busy timeout, PostgreSQL's
# lock_timeout).
DB_LOCK_TIMEOUT_SECONDS = env.positive_float("JEUGDKETEN_DB_LOCK_TIMEOUT_SECONDS", 20.0)
BUSY_RETRY_AFTER_SECONDS = 5

ROOT_URLCONF = "jeugdketen.config.urls"
WSGI_APPLICATION = "jeugdketen.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jeugdketen.ui.navigation.platform",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env.database_url(), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and BEGIN IMMEDIATE: concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DB_LOCK_TIMEOUT_SECONDS,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A lock wait longer than this fails with lock_not_available: answered 503, never a hang.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={int(DB_LOCK_TIMEOUT_SECONDS * 1000)}")
    # Prepared statements on: only the statements run through core.prepared use them
    # (Django's own cursors bind on the client and are never prepared); psycopg's default.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = 5
# The hot paths' statements prepared on the server (core.prepared); off for a pooler that
# does not keep prepared statements (docs/operations.md).
DB_PREPARED_STATEMENTS = env.flag("JEUGDKETEN_DB_PREPARED_STATEMENTS", True)
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "access.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "jeugdketen.access.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
CSRF_FAILURE_VIEW = "jeugdketen.web.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# Failed logins (django-axes, see access/lockout.py): counted per username AND client
# address, so nobody can lock out a colleague from another address. After
# JEUGDKETEN_LOCKOUT_FAILURES failures from one address a first cool-off starts; every
# further failure after it doubles the wait, up to JEUGDKETEN_LOCKOUT_HOURS. A wrong
# activation code counts as a failed login. Failures are forgotten twice the longest
# cool-off after the last one, or when a login from that address succeeds completely.
# Caches. The public care-report form's counter (intake/throttle.py) must be shared by
# every worker and every server, so it lives in the database (its table is made by the
# intake migration 0002); the rest of Django may use the per-process memory cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                 "LOCATION": "jeugdketen_throttle"},
}
INTAKE_THROTTLE_CACHE = "throttle"
INTAKE_PUBLIC_REPORTS_PER_HOUR = int(os.environ.get("JEUGDKETEN_PUBLIC_REPORTS_PER_HOUR", "5"))
INTAKE_PUBLIC_REPORTS_PER_DAY = int(os.environ.get("JEUGDKETEN_PUBLIC_REPORTS_PER_DAY", "20"))

AXES_FAILURE_LIMIT = int(os.environ.get("JEUGDKETEN_LOCKOUT_FAILURES", "5"))
LOCKOUT_FIRST_COOLOFF = timedelta(minutes=float(os.environ.get("JEUGDKETEN_LOCKOUT_MINUTES", "1")))
LOCKOUT_MAX_COOLOFF = timedelta(hours=float(os.environ.get("JEUGDKETEN_LOCKOUT_HOURS", "24")))
AXES_COOLOFF_TIME = 2 * LOCKOUT_MAX_COOLOFF  # how long failures are remembered
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The address comes from REMOTE_ADDR, or behind a TLS proxy from the header named in
# JEUGDKETEN_CLIENT_IP_HEADER, believed only from FORWARDED_ALLOW_IPS. Counting per
# username and address satisfies axes.W006 (count per IP address too): no check is silenced.
SILENCED_SYSTEM_CHECKS: list[str] = []
AXES_CLIENT_IP_CALLABLE = "jeugdketen.access.lockout.client_address"
AXES_HANDLER = "jeugdketen.access.lockout.GrowingCoolOffHandler"
# Attempts during a cool-off are refused unchecked and do not count, so the wait grows
# with each real guess, not with each impatient click.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success resets the count only when the whole login succeeded (password and second
# factor): web/views/auth.py, login_completed.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "jeugdketen.web.views.auth.locked_out"
AXES_VERBOSE = False
# Two-factor enrolment needs a one-time activation code from an administrator, valid
# this many days.
ACTIVATION_CODE_DAYS = int(os.environ.get("JEUGDKETEN_ACTIVATION_CODE_DAYS", "7"))

# Sessions: idle sessions expire (default 15 minutes).
SESSION_COOKIE_AGE = int(os.environ.get("JEUGDKETEN_SESSION_IDLE_SECONDS", "900"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000

# Content-Security-Policy without inline scripts (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# API tokens.
API_TOKEN_DAYS = int(os.environ.get("JEUGDKETEN_API_TOKEN_DAYS", "90"))

# The BRP (basisregistratie personen): identity, address, parents and custody come from the
# government's BRP API ("Haal Centraal BRP bevragen" v2). Without JEUGDKETEN_BRP_URL the
# platform uses the BRP stand-in (synthetic persons), which only DEBUG or demo mode accept
# (jeugdketen.brp.checks refuses it in production settings).
BRP_URL = os.environ.get("JEUGDKETEN_BRP_URL", "").strip()
BRP_STANDIN = not BRP_URL
BRP_STANDIN_PORT = int(os.environ.get("JEUGDKETEN_BRP_STANDIN_PORT", "8089"))
BRP_STANDIN_DB = os.environ.get("JEUGDKETEN_BRP_STANDIN_DB") or str(env.var_dir() / "brp-standin.sqlite3")
if BRP_STANDIN:
    BRP_URL = f"http://127.0.0.1:{BRP_STANDIN_PORT}/haalcentraal/api/brp"
BRP_TIMEOUT = float(os.environ.get("JEUGDKETEN_BRP_TIMEOUT", "5"))
# Registrations whose BSN, birth date and family name disagree with the BRP: after this many
# in 24 hours a user registers nobody with a BSN for the rest of that period (no guessing).
BRP_MISMATCHES_PER_DAY = int(os.environ.get("JEUGDKETEN_BRP_MISMATCHES_PER_DAY", "20"))
BRP_API_KEY = os.environ.get("JEUGDKETEN_BRP_API_KEY", "")
BRP_CLIENT_CERT = os.environ.get("JEUGDKETEN_BRP_CLIENT_CERT", "")
BRP_CLIENT_KEY = os.environ.get("JEUGDKETEN_BRP_CLIENT_KEY", "")
BRP_CA_BUNDLE = os.environ.get("JEUGDKETEN_BRP_CA_BUNDLE", "")
BRP_TOKEN_URL = os.environ.get("JEUGDKETEN_BRP_TOKEN_URL", "")
BRP_CLIENT_ID = os.environ.get("JEUGDKETEN_BRP_CLIENT_ID", "")
BRP_CLIENT_SECRET = os.environ.get("JEUGDKETEN_BRP_CLIENT_SECRET", "")
BRP_SCOPE = os.environ.get("JEUGDKETEN_BRP_SCOPE", "")

# Reference index: the privacy officer is alerted when a professional withdraws this many
# signals within this many days of registering them (a pattern of searching the index).
INDEX_WATCH_DAYS = int(os.environ.get("JEUGDKETEN_INDEX_WATCH_DAYS", "14"))
INDEX_WATCH_WITHDRAWALS = int(os.environ.get("JEUGDKETEN_INDEX_WATCH_WITHDRAWALS", "3"))

# Insight: the DuckDB store `jeugdketen insight refresh` fills from the chain event log (a
# work file and the published snapshot the pages read).
INSIGHT_DIR = Path(os.environ.get("JEUGDKETEN_INSIGHT_DIR") or env.var_dir() / "insight")

# Access log: the number of hash chains writers spread over (see docs/architecture.md).
AUDIT_SHARDS = min(64, max(1, int(os.environ.get("JEUGDKETEN_AUDIT_SHARDS", "32"))))
# Writers anchor the chain heads by themselves (after commit, when due): when the last
# anchor is this many records or seconds behind (see docs/operations.md).
AUDIT_ANCHOR_RECORDS = max(1, int(os.environ.get("JEUGDKETEN_AUDIT_ANCHOR_RECORDS", "10000")))
AUDIT_ANCHOR_SECONDS = max(1.0, float(os.environ.get("JEUGDKETEN_AUDIT_ANCHOR_SECONDS", "60")))

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
# Day month year and a 24-hour clock in both languages (config/formats/).
FORMAT_MODULE_PATH = ["jeugdketen.config.formats"]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.var_dir() / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# E-mail (config/mail.py): SMTP when JEUGDKETEN_SMTP_HOST is set; else the console in a demo
# or DEBUG run; else nothing is sent and only that fact is logged (never a body).
EMAIL_BACKEND = mail.backend(os.environ, demo=DEMO, debug=DEBUG)
EMAIL_HOST = os.environ.get("JEUGDKETEN_SMTP_HOST", "localhost")
EMAIL_PORT = env.positive_int("JEUGDKETEN_SMTP_PORT", 587)
EMAIL_HOST_USER = os.environ.get("JEUGDKETEN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("JEUGDKETEN_SMTP_PASSWORD", "")
EMAIL_USE_TLS, EMAIL_USE_SSL = mail.smtp_security(os.environ)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jeugdketen@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
