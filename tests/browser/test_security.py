"""Browser journeys for sign-in security: the lockout (S3), the forced password change (S2) and the
second factor (S5)."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cadre_pool.accounts import otp
from cadre_pool.models import AuditEvent
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Test-Pass-2026"


def _try(page, live_server, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill("mingyang")
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_refused(page, live_server, organiser, screenshot):
    for _ in range(5):
        _try(page, live_server, "Wrong-Pass-2026")
    expect(page.get_by_role("alert")).to_contain_text("账号已被锁定")
    _try(page, live_server, PASSWORD)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("登录失败次数过多，该账号已被锁定至")
    expect(alert).to_contain_text("联系系统管理员解锁")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    screenshot("locked")
    assert AuditEvent.objects.filter(action="login.lockout").count() == 1


def test_an_expired_password_must_be_changed_before_anything_else(page, live_server, organiser, screenshot, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=True):
        _try(page, live_server, PASSWORD)
        expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
        expect(page.get_by_role("alert")).to_contain_text("密码已过期")
        page.goto(f"{live_server.url}/candidates/")
        expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
        page.locator("#id_old_password").fill(PASSWORD)
        page.locator("#id_new_password1").fill(PASSWORD)
        page.locator("#id_new_password2").fill(PASSWORD)
        page.get_by_role("button", name="修改密码").click()
        expect(page.get_by_test_id("error-new_password2")).to_contain_text("最近 5 次")
        screenshot("reused")
        page.locator("#id_old_password").fill(PASSWORD)
        page.locator("#id_new_password1").fill("Kestrel-Moor-2027")
        page.locator("#id_new_password2").fill("Kestrel-Moor-2027")
        page.get_by_role("button", name="修改密码").click()
        expect(page.get_by_role("alert")).to_contain_text("密码已修改")
        page.goto(f"{live_server.url}/candidates/")
        expect(page.get_by_role("heading", name="修改密码")).to_have_count(0)
        screenshot("changed")


def test_the_audit_admin_filters_the_log_on_a_phone(browser, browser_context_args, live_server, audit_admin, organiser):
    from cadre_pool import audit
    from cadre_pool.models import AuditAction

    for n in range(3):
        audit.record(
            None,
            action=AuditAction.UPDATE,
            actor=organiser,
            object_label=f"档案{n}",
            before={"name": "旧"},
            after={"name": "新"},
        )
    context = browser.new_context(**browser_context_args, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill("auditor")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.goto(f"{live_server.url}/audit/")
        expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
        page.locator("#id_action").select_option("update")
        page.get_by_role("button", name="搜索").click()
        expect(page.get_by_test_id("audit-row")).to_have_count(3)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "audit-log-phone.png"), full_page=True)
    finally:
        context.close()


def test_enrolment_with_the_qr_code_then_sign_in_with_a_code(
    page, mobile_page, live_server, district_staff, screenshot, settings
):
    settings.REQUIRE_2FA_ROLES = frozenset({"district_staff"})
    refused = []
    for each in (page, mobile_page):
        each.on(
            "console",
            lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
        )

    def sign_in(browser_page):
        browser_page.goto(f"{live_server.url}/accounts/login/")
        browser_page.get_by_label("用户名").fill("district")
        browser_page.get_by_label("密码").fill(PASSWORD)
        browser_page.get_by_role("button", name="登录").click()

    # Desktop: the password alone leads to enrolment, with the QR code and the key as text.
    sign_in(page)
    expect(page.get_by_role("heading", name="设置双因素认证")).to_be_visible()
    qr = page.get_by_test_id("otp-qr").locator("svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 120
    screenshot("setup")

    # Phone: the same enrolment fits 390 px; the code is computed from the key shown as text.
    sign_in(mobile_page)
    expect(mobile_page.get_by_test_id("otp-qr").locator("svg")).to_be_visible()
    secret = mobile_page.get_by_test_id("otp-secret").inner_text().strip()
    wide = mobile_page.evaluate(
        "[...document.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > 390)"
        ".map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
    )
    assert mobile_page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    mobile_page.screenshot(path=str(SCREENSHOTS / "enrolment-with-qr-390.png"), full_page=True)
    mobile_page.get_by_label("验证码").fill(otp.code_at(secret, otp.current_step()))
    mobile_page.get_by_role("button", name="验证").click()
    expect(mobile_page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    mobile_page.get_by_role("link", name="继续").click()
    expect(mobile_page.get_by_role("heading", name="设置双因素认证")).to_have_count(0)

    # Back on the desktop, a new sign-in asks for a code; the next step's code lets the user in.
    page.get_by_role("button", name="退出").click()
    sign_in(page)
    page.get_by_label("验证码").fill(otp.code_at(secret, otp.current_step() + 1))
    page.get_by_role("button", name="验证").click()
    page.goto(f"{live_server.url}/candidates/")
    expect(page.get_by_role("heading", name="验证码")).to_have_count(0)
    assert page.url.endswith("/candidates/")
    screenshot("signed-in")
    assert refused == []
    assert AuditEvent.objects.filter(action="otp.enrol", actor_id=district_staff.pk).count() == 1
    assert AuditEvent.objects.filter(action="otp.verify", success=True).count() == 1
