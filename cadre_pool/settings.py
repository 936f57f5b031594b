"""Settings for Cadre Pool, read from the environment.

Every value that differs between a laptop and production comes from an
environment variable (or a `.env` file beside manage.py). Values are parsed
strictly: a malformed one stops start-up with a message naming the variable.
"""

from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def _strict_bool(name: str, default: bool) -> bool:
    # django-environ quietly reads any unknown word as False; a typo in DEBUG
    # must not silently switch production behaviour.
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


DEBUG = _strict_bool("DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "cadre_pool.apps.CadreAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER below
    "django_filters",
    "django_tasks_db",
    "cadre_pool",
    "candidates",
    "mentorship",
    "assessments",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cadre_pool.middleware.RefuseNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cadre_pool.middleware.SessionRenewalMiddleware",
    "cadre_pool.audit.RequestContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cadre_pool.middleware.AbsoluteSessionLimitMiddleware",
    "cadre_pool.middleware.OTPRequiredMiddleware",
    "cadre_pool.middleware.PasswordExpiryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "cadre_pool.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "cadre_pool.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]
# Widgets render through TEMPLATES, so that templates/django/forms/widgets/ can override Django's own
# (the select drawn without one include per option).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "cadre_pool.wsgi.application"

try:
    DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'cadre_pool.sqlite3'}")}
except (ValueError, KeyError) as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] not in {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}:
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://) or SQLite (sqlite:///).")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: our queries are short index scans whose cost estimates over a million files
    # pass jit_above_cost, and compiling them costs more than running them (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    # Prepared statements: psycopg binds parameters on the server and prepares a statement on its Nth
    # use on a connection, so the pages' queries are planned once per connection instead of on every
    # request (planning a file's 16 queries cost more than running them). Empty turns them off, as a
    # transaction-pooling pgbouncer older than 1.21 needs (docs/performance.md).
    _prepare = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
    if _prepare:
        if not _prepare.isdigit():
            raise ImproperlyConfigured(
                f"DATABASE_PREPARE_THRESHOLD={_prepare!r} is not a whole number; use e.g. 5, or leave it empty."
            )
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=int(_prepare))
# A streaming replica for the read queries of reports, dashboards and exports (cadre_pool/routers.py).
# Tests point it at the default database: {"MIRROR": "default"} (pytest-django makes no second test DB).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a valid database URL: {exc}") from exc
    DATABASES["replica"].update(
        CONN_MAX_AGE=DATABASES["default"]["CONN_MAX_AGE"], CONN_HEALTH_CHECKS=True, TEST={"MIRROR": "default"}
    )
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    for _option in ("server_side_binding", "prepare_threshold"):
        if _option in DATABASES["default"].get("OPTIONS", {}):
            DATABASES["replica"]["OPTIONS"].setdefault(_option, DATABASES["default"]["OPTIONS"][_option])
REPLICA_READS = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["cadre_pool.routers.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL; SQLite, for a laptop, builds them without those columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "cadre_pool.User"
AUTHENTICATION_BACKENDS = ["cadre_pool.accounts.backends.ScopedModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "cadre_pool.accounts.passwords.ChineseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "cadre_pool.accounts.passwords.CharacterClassValidator"},
    {"NAME": "cadre_pool.accounts.auth.PasswordHistoryValidator"},
]
# Passwords expire after this many days (GB/T 22239; 0 switches the rule off) and may not repeat
# the last PASSWORD_HISTORY_COUNT (S2).
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=5)
# This many failed sign-ins in a row lock the username for LOGIN_LOCKOUT_MINUTES (S3).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=30)
# Roles that must pass a TOTP second factor after the password (S5), e.g.
# "district_staff,system_admin,audit_admin"; empty: nobody is asked.
REQUIRE_2FA_ROLES = frozenset(env.list("REQUIRE_2FA_ROLES", default=[]))
_unknown_roles = REQUIRE_2FA_ROLES - {"organiser", "district_staff", "district_leader", "system_admin", "audit_admin"}
if _unknown_roles:
    raise ImproperlyConfigured(f"REQUIRE_2FA_ROLES names unknown roles: {', '.join(sorted(_unknown_roles))}.")
OTP_ISSUER = env.str("OTP_ISSUER", default="CadrePool")
OTP_THROTTLE_FACTOR = 1  # seconds; doubles after every wrong code in a row (django-otp's throttling)
# Fernet key that encrypts the TOTP secrets at rest; a database dump alone does not give the codes away.
# Make one with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
if DEBUG:
    OTP_ENCRYPTION_KEY = env.str("OTP_ENCRYPTION_KEY", default="ZGV2ZWxvcG1lbnQtb25seS1vdHAta2V5LTMyYnl0ZXM=")
else:
    OTP_ENCRYPTION_KEY = env.str("OTP_ENCRYPTION_KEY", default="")
    if not OTP_ENCRYPTION_KEY:
        raise ImproperlyConfigured(
            "OTP_ENCRYPTION_KEY must be set when DEBUG is off: a Fernet key (32 url-safe base64-encoded bytes)."
        )
try:
    Fernet(OTP_ENCRYPTION_KEY)
except ValueError:
    raise ImproperlyConfigured(
        "OTP_ENCRYPTION_KEY is not a Fernet key: it must be 32 url-safe base64-encoded bytes."
    ) from None

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions live in the database, so any app server behind the load balancer can answer any request;
# their renewal commits without waiting for the disk (cadre_pool/accounts/sessions.py).
SESSION_ENGINE = "cadre_pool.accounts.sessions"
# Idle timeout: the cookie expires 30 minutes after the last request, renewed at most once a minute
# (cadre_pool.middleware.SessionRenewalMiddleware) rather than written on every page.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_RENEW_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
# Absolute limit: a session ends this long after sign-in however active it is (S4).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
# Uploaded evidence: outside the static files and with no public URL; served by a scoped view.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Security headers (S18). Everything is served from our own origin: no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = _strict_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Background work (large exports) runs in a database-backed worker: `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Exports with more rows than this are built in the background with a progress page.
EXPORT_ASYNC_THRESHOLD = env.int("EXPORT_ASYNC_THRESHOLD", default=5000)
# Every list's export, by kind: the builder that rebuilds the list's rows, and the file name's stem.
EXPORTS = {
    "roster": ("reports.roster.build_roster", "roster"),
    "supply": ("candidates.exports.build_supply", "talent-supply"),
    "contacts": ("candidates.exports.build_contacts", "contact-log"),
    "mentoring_logs": ("mentorship.exports.build_mentoring_logs", "mentoring-logs"),
    "round_results": ("assessments.exports.build_round_results", "look-back-results"),
}
# Lists count at most this many matches ("1000+" beyond; later pages stay reachable). Counting
# costs in proportion to the cap: 10,000 cost more than the rest of the list's SQL together. A
# district's pool is hundreds; exact totals at any size are on the dashboard and in the reports.
LIST_COUNT_CAP = env.int("LIST_COUNT_CAP", default=1000)
# Township and village drop-downs are cached per process for this long (cadre_pool/org/choices.py).
ORG_CHOICES_CACHE_SECONDS = env.int("ORG_CHOICES_CACHE_SECONDS", default=300)
# Above this many villages in scope, the list's village drop-down waits for a township to be chosen.
VILLAGE_CHOICES_LIMIT = env.int("VILLAGE_CHOICES_LIMIT", default=500)
# Excel imports: file size and rows of data at most.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=10000)

# Business rules that a deployment may tune.
CANDIDATE_MIN_AGE = env.int("CANDIDATE_MIN_AGE", default=18)
CANDIDATE_MAX_AGE = env.int("CANDIDATE_MAX_AGE", default=45)
# Cultivation: a candidate in the pool with no mentoring log for this many days is flagged.
MENTORING_LOG_MAX_DAYS = env.int("MENTORING_LOG_MAX_DAYS", default=60)
# Secondments ending within this many days appear on the to-do list.
SECONDMENT_ENDING_SOON_DAYS = env.int("SECONDMENT_ENDING_SOON_DAYS", default=14)

# Audit trail (S9, S10). Retention floors of 184 days and three years are enforced whatever these say.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=184)
AUDIT_PERSONAL_INFO_RETENTION_DAYS = env.int("AUDIT_PERSONAL_INFO_RETENTION_DAYS", default=3 * 365 + 1)
# Where the client's address is read from: REMOTE_ADDR, or e.g. HTTP_X_REAL_IP behind our nginx.
AUDIT_IP_HEADER = env.str("AUDIT_IP_HEADER", default="REMOTE_ADDR")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Request paths and quoted values can carry a searched ID or phone number (S11).
    "filters": {"mask_numbers": {"()": "cadre_pool.personal.MaskNumbersFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_numbers"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
