"""Second factor (S5): a required role reaches no page on the password alone; a code works once."""

import datetime
import re

import pytest
import segno
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cadre_pool.accounts import otp
from cadre_pool.models import AuditEvent, OTPDevice

PASSWORD = "Test-Pass-2026"
# Session, user, device and what the page shows of them: a fixed cost.
SETUP_QUERIES = 5
VERIFY_QUERIES = 4


@pytest.fixture
def require_staff(settings):
    settings.REQUIRE_2FA_ROLES = frozenset({"district_staff", "system_admin"})


def _sign_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def _enrol_and_sign_in_again(client, user) -> list[str]:
    """Enrol `user` (password + first code), sign out, sign in with the password again; the recovery codes."""
    _sign_in(client, user.username)
    client.get(reverse("otp_setup"))
    codes = client.post(reverse("otp_setup"), {"code": _code(user)}).context["codes"]
    client.post(reverse("logout"))
    _sign_in(client, user.username)
    return codes


def _code(user, offset=0):
    device = OTPDevice.objects.get(user=user)
    return otp.code_at(device.secret, otp.current_step() + offset)


def test_rfc_6238_reference_value():
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits); our 6 digits are its last six.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert otp.code_at(secret, 59 // 30) == "287082"


def test_a_required_user_reaches_no_page_with_the_password_alone(client, require_staff, district_staff, reference):
    _sign_in(client, "district")
    for url in [reverse("home"), reverse("candidates:list"), reverse("todo"), "/admin/", reverse("password_change")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_verify"))
    # With no authenticator yet, the code page sends them to enrolment.
    response = client.get(reverse("otp_verify"))
    assert response["Location"].startswith(reverse("otp_setup"))


def test_enrolment_then_sign_in_with_a_code_that_works_once(client, require_staff, district_staff):
    with time_machine.travel(timezone.now(), tick=False):
        _sign_in(client, "district")
        page = client.get(reverse("otp_setup"))
        assert page.status_code == 200
        assert page.context["secret"] in page.context["uri"]
        assert page.context["uri"].startswith("otpauth://totp/")
        response = client.post(reverse("otp_setup"), {"code": "000000" if _code(district_staff) != "000000" else "1"})
        assert "code" in response.context["form"].errors
        response = client.post(reverse("otp_setup"), {"code": _code(district_staff)})
        codes = response.context["codes"]
        assert len(codes) == 10
        assert client.get(reverse("home")).status_code == 200
        assert AuditEvent.objects.filter(action="otp.enrol", actor_id=district_staff.pk).count() == 1
        client.post(reverse("logout"))

        # The same code again, in the same 30 seconds, is refused: a code works once.
        _sign_in(client, "district")
        response = client.post(reverse("otp_verify"), {"code": _code(district_staff)})
        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert client.get(reverse("home")).status_code == 302

    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=90), tick=False):
        response = client.post(reverse("otp_verify"), {"code": _code(district_staff), "next": "/candidates/"})
        assert response.status_code == 302
        assert response["Location"] == "/candidates/"
        assert client.get(reverse("home")).status_code == 200
        assert AuditEvent.objects.filter(action="otp.verify", success=False).count() == 1


def test_a_recovery_code_works_once(client, require_staff, district_staff):
    codes = _enrol_and_sign_in_again(client, district_staff)
    assert client.post(reverse("otp_verify"), {"code": codes[3].upper()}).status_code == 302
    client.post(reverse("logout"))
    _sign_in(client, "district")
    assert client.post(reverse("otp_verify"), {"code": codes[3]}).status_code == 200
    assert client.get(reverse("home")).status_code == 302


def test_an_old_code_is_refused(client, require_staff, district_staff):
    _enrol_and_sign_in_again(client, district_staff)
    assert client.post(reverse("otp_verify"), {"code": _code(district_staff, offset=-3)}).status_code == 200


def test_roles_not_listed_are_not_asked(client, require_staff, organiser):
    _sign_in(client, "mingyang")
    assert client.get(reverse("home")).status_code == 200


def test_nobody_is_asked_by_default(client, settings, district_staff):
    assert frozenset() == settings.REQUIRE_2FA_ROLES
    _sign_in(client, "district")
    assert client.get(reverse("home")).status_code == 200


def test_an_open_redirect_in_next_is_ignored(client, require_staff, district_staff):
    _enrol_and_sign_in_again(client, district_staff)
    response = client.post(
        reverse("otp_verify"), {"code": _code(district_staff, offset=1), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("env", ["organiser,nobody"])
def test_an_unknown_role_in_the_setting_stops_start_up(env):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=root,
        env={**clean, "DEBUG": "true", "REQUIRE_2FA_ROLES": env, "DJANGO_SETTINGS_MODULE": "cadre_pool.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "REQUIRE_2FA_ROLES names unknown roles: nobody" in result.stderr


def test_the_system_admin_removes_a_lost_authenticator(client, require_staff, district_staff, system_admin):
    staff_client = client.__class__()
    _sign_in(staff_client, "district")
    staff_client.get(reverse("otp_setup"))
    staff_client.post(reverse("otp_setup"), {"code": _code(district_staff)})
    device = OTPDevice.objects.get(user=district_staff)
    client.force_login(system_admin)
    session = client.session
    session[otp.SESSION_VERIFIED] = True
    session.save()
    response = client.post(reverse("admin:cadre_pool_otpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not OTPDevice.objects.exists()
    assert not district_staff.recovery_codes.exists()
    assert AuditEvent.objects.filter(action="otp.remove", object_id=str(district_staff.pk)).count() == 1


def test_the_secret_is_encrypted_at_rest(client, require_staff, district_staff):
    _sign_in(client, "district")
    secret = client.get(reverse("otp_setup")).context["secret"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cadre_pool_otpdevice WHERE user_id = %s", [district_staff.pk])
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert len(secret) == 32
    assert secret not in stored
    assert secret.lower() not in stored.lower()
    assert OTPDevice.objects.get(user=district_staff).secret == secret


def test_wrong_codes_in_a_row_make_the_next_try_wait(client, require_staff, district_staff):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _enrol_and_sign_in_again(client, district_staff)
        clock.shift(datetime.timedelta(seconds=31))
        wrong = "000000" if _code(district_staff) != "000000" else "111111"
        assert client.post(reverse("otp_verify"), {"code": wrong}).status_code == 200
        assert client.post(reverse("otp_verify"), {"code": wrong}).status_code == 200
        # Right code, but straight after a wrong one: refused with the wait named in Chinese.
        response = client.post(reverse("otp_verify"), {"code": _code(district_staff)})
        assert response.status_code == 200
        assert "连续输错" in response.content.decode()
        clock.shift(datetime.timedelta(seconds=3))
        assert client.post(reverse("otp_verify"), {"code": _code(district_staff)}).status_code == 302
        assert OTPDevice.objects.get(user=district_staff).throttling_failure_count == 0


def test_enrolment_shows_a_qr_code_of_the_address_that_the_policy_allows(client, require_staff, district_staff):
    _sign_in(client, "district")
    response = client.get(reverse("otp_setup"))
    html = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert svg == segno.make(response.context["uri"], error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff"
    )
    # style-src 'self' forbids style attributes and elements; the QR code needs neither.
    assert "style" not in svg
    assert "<script" not in svg
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert response.context["secret"] in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_enrolled_authenticators_working(district_staff):
    user = district_staff
    clear = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    executor = MigrationExecutor(connection)
    executor.migrate([("cadre_pool", "0009_code_synonyms")])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cadre_pool_otpdevice (user_id, secret, last_step, confirmed_at, created_at)"
            " VALUES (%s, %s, 0, %s, %s)",
            [user.pk, clear, timezone.now(), timezone.now()],
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    device = OTPDevice.objects.get(user=user)
    assert device.secret == clear
    assert clear not in device.encrypted_secret
    assert otp.verify_code(user, otp.code_at(clear, otp.current_step()))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return sum(1 for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"])


def test_the_second_factor_pages_keep_their_query_budget(client, require_staff, district_staff):
    _sign_in(client, "district")
    client.get(reverse("otp_setup"))
    assert _queries(client, reverse("otp_setup")) == SETUP_QUERIES
    client.post(reverse("otp_setup"), {"code": _code(district_staff)})
    client.post(reverse("logout"))
    _sign_in(client, "district")
    assert _queries(client, reverse("otp_verify")) == VERIFY_QUERIES
