"""Test settings: the real settings, with defaults that suit a test run and a fast password hasher."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
# A fixed test-only Fernet key: 32 bytes, url-safe base64.
os.environ.setdefault("OTP_ENCRYPTION_KEY", "dGVzdC1vbmx5LW90cC1lbmNyeXB0aW9uLWtleS0zMmI=")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cadre_pool")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Journeys travel months ahead in time with accounts made today; the password-age rule would send
# them to the change page. Tests of that rule switch it on with the `settings` fixture.
os.environ.setdefault("PASSWORD_MAX_AGE_DAYS", "0")
# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from cadre_pool.settings import *  # noqa: F403

# The replica alias mirrors the test database; reads are routed to it only in tests that switch
# REPLICA_READS on (tests/reports/test_replica.py), with committed data (a mirror is another connection).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READS = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The live server for browser journeys speaks plain HTTP on 127.0.0.1.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Renew the session on every signed-in request, so that a page's query count does not depend on how
# long ago the previous request was; tests/cadre_pool/test_sessions.py checks the once-a-minute production value.
SESSION_RENEW_SECONDS = 0
