"""Web hardening (S17–S19): CSRF, security headers, production settings, generic error pages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "pr0d-like-" + "aZ9#kQ2!mX7$" * 5,
    "ALLOWED_HOSTS": "cadre.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://cadre.example.gov.cn",
    "DATABASE_URL": "postgres://cadre@127.0.0.1:5432/cadre_pool",
    "OTP_ENCRYPTION_KEY": "cHIwZC1saWtlLW90cC1rZXktb2YtdGhpcnR5LXR3by0=",
    "DJANGO_SETTINGS_MODULE": "cadre_pool.settings",
}


def _manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV
        and not k.startswith("SECURE_")
        and k not in {"PASSWORD_MAX_AGE_DAYS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


# --- S17: CSRF -----------------------------------------------------------------------------------


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    ("url_name", "args", "data"),
    [
        ("login", [], {"username": "mingyang", "password": "Test-Pass-2026"}),
        ("logout", [], {}),
        ("password_change", [], {"old_password": "Test-Pass-2026", "new_password1": "x", "new_password2": "x"}),
        ("set_language", [], {"language": "en"}),
        ("candidates:create", [], {"name": "张三"}),
        ("candidates:edit", ["candidate"], {"name": "张三"}),
        ("candidates:change_status", ["candidate"], {"to_status": "exited"}),
        ("admin:cadre_pool_loginlock_changelist", [], {"action": "unlock_selected", "_selected_action": [1]}),
    ],
)
def test_state_changing_posts_without_a_token_are_refused(
    csrf_client, organiser, mingyang_candidate, url_name, args, data
):
    if url_name != "login":
        csrf_client.force_login(organiser)
    url = reverse(url_name, args=[mingyang_candidate.pk if a == "candidate" else a for a in args])
    response = csrf_client.post(url, data)
    assert response.status_code == 403
    # Our own page, in Chinese, without technical details.
    assert "表单已过期" in response.text


def test_the_csrf_refusal_of_a_sign_in_writes_no_session(csrf_client, organiser):
    csrf_client.post(reverse("login"), {"username": "mingyang", "password": "Test-Pass-2026"})
    assert "_auth_user_id" not in csrf_client.session


def test_sign_out_is_not_possible_by_get(client, organiser):
    client.force_login(organiser)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200


# --- S18: headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "url_name", "personal"),
    [
        (None, "login", False),
        ("organiser", "home", True),
        ("organiser", "candidates:list", True),
        ("organiser", "password_change", True),
        ("audit_admin", "audit_log", True),
        ("district_staff", "todo", True),
    ],
)
def test_security_headers_on_representative_pages(client, request, reference, role, url_name, personal):
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    for directive in ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "form-action 'self'"]:
        assert directive in csp
    assert "'unsafe-inline'" not in csp
    assert "script-src 'self'" in csp  # a nonce is added only for a page that has an inline script
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    if personal:
        assert response["Cache-Control"] == "no-store, private"


def test_production_settings_turn_on_hsts_and_secure_cookies():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_SECURE,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "True", "True", "True", "False"]


def test_production_defaults_of_the_authentication_rules():
    code = (
        "from django.conf import settings as s;"
        "print(s.PASSWORD_MAX_AGE_DAYS, s.PASSWORD_HISTORY_COUNT, s.LOGIN_FAILURE_LIMIT,"
        " s.LOGIN_LOCKOUT_MINUTES, s.SESSION_COOKIE_AGE, s.SESSION_ABSOLUTE_SECONDS,"
        " s.AUDIT_RETENTION_DAYS, s.AUDIT_PERSONAL_INFO_RETENTION_DAYS)"
    )
    result = _manage("shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["90", "5", "5", "30", "1800", "43200", "184", "1096"]


# --- S19: production settings and error pages -----------------------------------------------------


def test_check_deploy_passes_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_catches_a_weak_secret_key():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY="a" * 60)
    assert result.returncode != 0
    assert "W009" in result.stdout + result.stderr


def test_not_found_is_a_generic_chinese_page(client, organiser, settings):
    assert settings.DEBUG is False
    client.force_login(organiser)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text
    assert "urlpatterns" not in response.text and "Traceback" not in response.text


def test_a_server_error_shows_a_generic_page_without_a_trace(client, organiser, monkeypatch):
    from reports import todo

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(todo, "items_for", broken)
    client.raise_request_exception = False
    client.force_login(organiser)
    response = client.get(reverse("todo"))
    assert response.status_code == 500
    assert "服务器错误" in response.text
    assert "secret internal detail" not in response.text
    assert "Traceback" not in response.text


def test_permission_denied_is_a_generic_chinese_page(client, organiser):
    client.force_login(organiser)
    response = client.get(reverse("audit_log"))
    assert response.status_code == 403
    assert "拒绝访问" in response.text
