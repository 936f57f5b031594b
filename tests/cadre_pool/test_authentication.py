"""Authentication (S1–S4): password rules, password age and history, lockout, session limits."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cadre_pool.models import AuditEvent, LoginLock, Role, User
from tests.conftest import GUANGONG
from tests.factories import UserFactory

PASSWORD = "Test-Pass-2026"


def _sign_in(client, username="mingyang", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# --- S1 -------------------------------------------------------------------------------------------


def test_migrations_create_no_account(db):
    assert not User.objects.exists()


# --- S2: password strength ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!xyz",  # 7 characters
        "abcdefghij",  # one class
        "abcdefgh12",  # two classes
        "ABCDEFGH!!",  # two classes
        "12345678901",  # digits only
        "Password1",  # common password with three classes
        "Mingyang-2026",  # too like the username
    ],
)
def test_weak_passwords_are_refused(organiser, password):
    with pytest.raises(ValidationError):
        validate_password(password, organiser)


@pytest.mark.parametrize(
    "password",
    [
        "Kestrel-moor8",  # 13 characters, four classes
        "kestrelmoor#88",  # lower, digit, symbol
        "QL8" + "x" * 61,  # 64 characters
        "长风破浪会有时A1a" * 6,  # long, with Chinese characters
        "Tk7-" * 32,  # 128 characters
    ],
)
def test_strong_and_long_passwords_are_accepted(organiser, password):
    validate_password(password, organiser)


# --- S2: password age and history -----------------------------------------------------------------


def test_an_expired_password_forces_the_change_page_on_every_page(client, organiser, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client.force_login(organiser)
    assert client.get(reverse("home")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91)):
        # A fresh sign-in: the session's absolute limit must not be what sends us away.
        client.force_login(organiser)
        for url in [reverse("home"), reverse("candidates:list"), reverse("todo"), "/admin/"]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"] == reverse("password_change")
        assert client.get(reverse("password_change")).status_code == 200
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Fresh-Pass-2027", "new_password2": "Fresh-Pass-2027"},
        )
        assert response.status_code == 302
        # Still signed in (the session hash followed the new password) and free to go anywhere.
        assert client.get(reverse("home")).status_code == 200
        assert AuditEvent.objects.filter(action="password.change", actor_id=organiser.pk).count() == 1


def test_password_age_counts_from_the_last_change(organiser, settings):
    from cadre_pool.accounts.auth import password_expired

    settings.PASSWORD_MAX_AGE_DAYS = 90
    organiser.set_password("Fresh-Pass-2027")
    organiser.save()
    organiser.refresh_from_db()
    now = timezone.now()
    assert not password_expired(organiser, now + datetime.timedelta(days=89))
    assert password_expired(organiser, now + datetime.timedelta(days=91))
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert not password_expired(organiser, now + datetime.timedelta(days=1000))


def test_the_last_five_passwords_cannot_be_reused(organiser):
    history = ["Kestrel-Moor-01", "Kestrel-Moor-02", "Kestrel-Moor-03", "Kestrel-Moor-04", "Kestrel-Moor-05"]
    for password in history:
        validate_password(password, organiser)
        organiser.set_password(password)
        organiser.save()
    for password in history:
        with pytest.raises(ValidationError) as info:
            validate_password(password, organiser)
        assert [e.code for e in info.value.error_list] == ["password_reused"]
    # The sixth-last one (the factory's) is allowed again; only five hashes are kept.
    validate_password(PASSWORD, organiser)
    assert organiser.password_history.count() == 5


def test_the_change_page_refuses_a_reused_password(client, organiser):
    client.force_login(organiser)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors


def test_changing_ones_password_keeps_the_session_records_history_and_one_audit_row(client, organiser):
    client.force_login(organiser)
    User.objects.filter(pk=organiser.pk).update(must_change_password=True)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Fresh-Choice-2027", "new_password2": "Fresh-Choice-2027"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # still signed in with the new hash
    organiser.refresh_from_db()
    assert organiser.check_password("Fresh-Choice-2027") and not organiser.must_change_password
    assert organiser.password_history.filter(password=organiser.password).exists()
    assert AuditEvent.objects.filter(action="password.change", actor_id=organiser.pk).count() == 1


# --- S3: lockout ----------------------------------------------------------------------------------


def test_five_failures_lock_and_the_right_password_is_refused_until_the_lock_ends(client, organiser):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            response = _sign_in(client, password="Wrong-Pass-2026")
            assert response.status_code == 200
        response = _sign_in(client)
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert any(e.code == "locked" for e in response.context["form"].non_field_errors().as_data())
        assert AuditEvent.objects.filter(action="login.lockout", actor_id=organiser.pk).count() == 1
        assert AuditEvent.objects.filter(action="login.failure").count() == 5
        assert AuditEvent.objects.filter(action="login.refused_locked").count() == 1

        clock.move_to(start + datetime.timedelta(minutes=29))
        assert _sign_in(client).status_code == 200
        assert "_auth_user_id" not in client.session

        clock.move_to(start + datetime.timedelta(minutes=31))
        response = _sign_in(client)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(organiser.pk)
        assert not LoginLock.objects.exists()


def test_the_lock_is_per_username(client, organiser, other_organiser):
    for _ in range(5):
        _sign_in(client, password="Wrong-Pass-2026")
    assert _sign_in(client, username="guangong").status_code == 302


def test_the_username_case_does_not_dodge_the_lock(client, organiser):
    for name in ["mingyang", "MINGYANG", "MingYang", "mingyang ", "mingYANG"]:
        _sign_in(client, username=name, password="Wrong-Pass-2026")
    assert LoginLock.objects.get().is_locked()


def test_four_failures_then_success_start_the_count_again(client, organiser):
    for _ in range(4):
        _sign_in(client, password="Wrong-Pass-2026")
    assert _sign_in(client).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        _sign_in(client, password="Wrong-Pass-2026")
    assert _sign_in(client).status_code == 302


def test_the_admin_sign_in_obeys_the_lock(client, system_admin):
    for _ in range(5):
        _sign_in(client, username="sysadmin", password="Wrong-Pass-2026")
    # The admin site has no sign-in page of its own: it sends everyone to ours.
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert _sign_in(client, username="sysadmin").status_code == 200


def test_the_system_admin_unlocks_an_account(client, organiser, system_admin):
    locked_out = Client()
    for _ in range(5):
        _sign_in(locked_out, password="Wrong-Pass-2026")
    lock = LoginLock.objects.get(username="mingyang")
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:cadre_pool_loginlock_changelist"),
        {"action": "unlock_selected", "_selected_action": [lock.pk]},
    )
    assert response.status_code == 302
    assert not LoginLock.objects.exists()
    event = AuditEvent.objects.get(action="account.unlock")
    assert (event.actor_id, event.object_label) == (system_admin.pk, "mingyang")
    assert _sign_in(locked_out).status_code == 302


@pytest.mark.parametrize("role", ["organiser", "district_staff", "audit_admin"])
def test_only_the_system_admin_sees_the_locks(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:cadre_pool_loginlock_changelist"))
    assert response.status_code in (302, 403)


# --- S4: sessions ---------------------------------------------------------------------------------


def test_sign_in_gives_a_new_session_key(client, organiser):
    client.get(reverse("login"))
    client.session["probe"] = 1  # make sure an anonymous session exists
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    _sign_in(client)
    assert client.session.session_key != before


def test_a_replayed_cookie_after_sign_out_is_anonymous(client, organiser):
    _sign_in(client)
    cookie = client.cookies["sessionid"].value
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=cookie).exists()
    replay = Client()
    replay.cookies["sessionid"] = cookie
    response = replay.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_idle_timeout_is_thirty_minutes(client, organiser, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client)
        clock.move_to(start + datetime.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity renews the idle limit
        clock.move_to(start + datetime.timedelta(minutes=58))
        assert client.get(reverse("home")).status_code == 200
        clock.move_to(start + datetime.timedelta(minutes=89))
        assert client.get(reverse("home")).status_code == 302


def test_absolute_limit_of_twelve_hours_however_active(client, organiser):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client)
        for step in range(1, 29):  # a request every 25 minutes keeps the idle limit away
            clock.move_to(start + datetime.timedelta(minutes=25 * step))
            assert client.get(reverse("home")).status_code == 200, step
        clock.move_to(start + datetime.timedelta(hours=12, minutes=1))
        response = client.get(reverse("home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert client.get(reverse("home")).status_code == 302
        assert AuditEvent.objects.filter(action="session.expired", actor_id=organiser.pk).count() == 1


def test_disabling_a_user_ends_their_sessions(client, organiser):
    _sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    organiser.is_active = False
    organiser.save(update_fields=["is_active"])
    assert client.get(reverse("home")).status_code == 302
    organiser.is_active = True
    organiser.save(update_fields=["is_active"])
    # Enabling the account again does not revive the old session.
    assert client.get(reverse("home")).status_code == 302


def test_moving_a_user_to_another_township_ends_their_sessions(client, organiser, reference):
    _sign_in(client)
    assert client.get(reverse("home")).status_code == 200
    organiser.unit = reference[GUANGONG]
    organiser.save(update_fields=["unit"])
    assert client.get(reverse("home")).status_code == 302


def test_changing_a_role_ends_their_sessions(client, reference):
    user = UserFactory(username="staffer", role=Role.DISTRICT_STAFF, unit=reference["511903000000"])
    _sign_in(client, username="staffer")
    assert client.get(reverse("home")).status_code == 200
    user.role = Role.DISTRICT_LEADER
    user.save(update_fields=["role"])
    assert client.get(reverse("home")).status_code == 302


def test_the_admin_disabling_a_user_ends_their_sessions(client, organiser, system_admin):
    victim = Client()
    _sign_in(victim)
    assert victim.get(reverse("home")).status_code == 200
    client.force_login(system_admin)
    data = {
        "username": organiser.username,
        "full_name": organiser.full_name,
        "email": "",
        "role": organiser.role,
        "unit": organiser.unit_id,
        "last_login_0": "",
        "date_joined_0": "",
    }
    response = client.post(reverse("admin:cadre_pool_user_change", args=[organiser.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    organiser.refresh_from_db()
    assert organiser.is_active is False
    assert victim.get(reverse("home")).status_code == 302


def test_a_password_set_by_an_administrator_must_be_replaced_at_first_sign_in(client, system_admin, organiser):
    client.force_login(system_admin)
    url = reverse("admin:auth_user_password_change", args=[organiser.pk])
    response = client.post(url, {"password1": "Admin-Set-2026x", "password2": "Admin-Set-2026x"})
    assert response.status_code == 302
    organiser.refresh_from_db()
    assert organiser.must_change_password and organiser.check_password("Admin-Set-2026x")
    owner = Client()
    assert _sign_in(owner, password="Admin-Set-2026x").status_code == 302
    for url in [reverse("home"), reverse("candidates:list")]:
        assert owner.get(url)["Location"] == reverse("password_change")
    response = owner.post(
        reverse("password_change"),
        {"old_password": "Admin-Set-2026x", "new_password1": "Own-Choice-2027", "new_password2": "Own-Choice-2027"},
    )
    assert response.status_code == 302
    assert owner.get(reverse("home")).status_code == 200
    organiser.refresh_from_db()
    assert not organiser.must_change_password


def test_an_account_added_in_the_admin_must_change_its_password(client, system_admin, reference):
    client.force_login(system_admin)
    response = client.post(
        reverse("admin:cadre_pool_user_add"),
        {
            "username": "newcomer",
            "full_name": "新同志",
            "role": "organiser",
            "unit": reference[GUANGONG].pk,
            "usable_password": "true",
            "password1": "Admin-Set-2026x",
            "password2": "Admin-Set-2026x",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="newcomer").must_change_password


def test_stale_failure_counters_are_pruned_and_live_locks_kept(reference):
    from cadre_pool.accounts.auth import prune_login_locks, register_failure

    for _ in range(5):
        register_failure("locked-now")
    register_failure("nobody-typo")
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert prune_login_locks() == 0  # still inside the window: both count
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        assert prune_login_locks() == 2
    assert not LoginLock.objects.exists()
    register_failure("fresh")
    assert prune_login_locks() == 0
    assert LoginLock.objects.filter(username="fresh").exists()
