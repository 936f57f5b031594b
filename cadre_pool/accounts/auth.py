"""Authentication rules (S2–S4): login lockout, password history and age, session limits.

The signal receivers at the bottom write the authentication audit rows; they are connected in
`CadrePoolConfig.ready()`.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cadre_pool import audit
from cadre_pool.models import AuditAction, LoginLock, PasswordHistory, User

SESSION_LOGIN_AT = "cadre_login_at"


# --- Lockout (S3) -----------------------------------------------------------------------------


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str, now=None) -> datetime.datetime | None:
    """When the lock on this username ends, or None when it is not locked."""
    lock = LoginLock.objects.filter(username=_key(username)).first()
    if lock is not None and lock.is_locked(now):
        return lock.locked_until
    return None


def register_failure(username: str, request=None) -> LoginLock:
    """Count one failed sign-in; the `LOGIN_FAILURE_LIMIT`-th in a row locks the username."""
    now = timezone.now()
    window = datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    with transaction.atomic():
        lock, _created = LoginLock.objects.select_for_update().get_or_create(username=_key(username))
        expired_lock = lock.locked_until is not None and lock.locked_until <= now
        stale = lock.last_failure_at is not None and now - lock.last_failure_at > window
        if expired_lock or stale:
            lock.failures, lock.locked_until = 0, None
        lock.failures += 1
        lock.last_failure_at = now
        just_locked = lock.failures >= settings.LOGIN_FAILURE_LIMIT and lock.locked_until is None
        if just_locked:
            lock.locked_until = now + window
        lock.save(update_fields=["failures", "last_failure_at", "locked_until"])
    user = User.objects.filter(username__iexact=lock.username).first()
    common = {"object_type": "cadre_pool.user", "object_id": getattr(user, "pk", ""), "object_label": lock.username}
    audit.record(request, action=AuditAction.LOGIN_FAILURE, actor=user, success=False, failures=lock.failures, **common)
    if just_locked:
        audit.record(
            request,
            action=AuditAction.LOGIN_LOCKOUT,
            actor=user,
            success=False,
            locked_until=lock.locked_until,
            **common,
        )
    return lock


def prune_login_locks(now=None) -> int:
    """Delete counters that no longer matter: no lock in force and the last failure outside the window.

    Failures for usernames nobody owns would otherwise stay for ever; `register_failure` would
    reset such a row anyway, so deleting it changes nothing about the lockout rule.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    stale = LoginLock.objects.filter(last_failure_at__lt=cutoff).exclude(locked_until__gt=now)
    count, _ = stale.delete()
    return count


def clear_failures(username: str) -> None:
    LoginLock.objects.filter(username=_key(username)).delete()


def unlock(locks, *, request) -> int:
    """An administrator lifts the locks (admin action); each unlock is audited."""
    count = 0
    for lock in locks:
        audit.record(
            request,
            action=AuditAction.ACCOUNT_UNLOCK,
            object_type="cadre_pool.user",
            object_label=lock.username,
            failures=lock.failures,
            locked_until=lock.locked_until,
        )
        lock.delete()
        count += 1
    return count


class LoginForm(auth_forms.AuthenticationForm):
    """The sign-in form: a locked username is refused, even with the right password, with its own message."""

    def clean(self):
        username = self.cleaned_data.get("username")
        until = locked_until(username) if username else None
        if until is not None:
            audit.record(
                self.request,
                action=AuditAction.LOGIN_REFUSED_LOCKED,
                actor=User.objects.filter(username__iexact=_key(username)).first(),
                object_type="cadre_pool.user",
                object_label=_key(username),
                success=False,
            )
            raise self.locked_error(until)
        try:
            return super().clean()
        except ValidationError:
            until = locked_until(username) if username else None
            if until is not None:
                raise self.locked_error(until) from None
            raise

    def locked_error(self, until):
        return ValidationError(
            _(
                "Too many failed sign-ins: this account is locked until %(time)s. "
                "Try again later or ask the system administrator to unlock it."
            ),
            code="locked",
            params={"time": formats.time_format(timezone.localtime(until), "H:i")},
        )


# --- Passwords (S2) ---------------------------------------------------------------------------


class PasswordHistoryValidator:
    """Refuses the current password and the previous ones (`PASSWORD_HISTORY_COUNT` in all), and on every
    change stores the new hash and the time of the change (for the password age rule)."""

    def __init__(self, count: int | None = None):
        self._count = count

    @property
    def count(self) -> int:
        return self._count or settings.PASSWORD_HISTORY_COUNT

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.count])
        current = User.objects.filter(pk=user.pk).values_list("password", flat=True).first()
        if current and current not in hashes:
            hashes.insert(0, current)  # a password set before history was kept (or by a fixture)
        if any(check_password(password, encoded) for encoded in hashes[: self.count]):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        now = timezone.now()
        PasswordHistory.objects.create(user=user, password=user.password, created_at=now)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[: self.count]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()
        user.password_changed_at = now
        User.objects.filter(pk=user.pk).update(password_changed_at=now)

    def get_help_text(self):
        return _("Your password must differ from your last %(count)d passwords.") % {"count": self.count}


def change_own_password(*, actor: User, password: str) -> User:
    """Set the signed-in user's new password (already validated by the form) and lift the flag that an
    administrator-set or expired password raised; one audit row, in the same transaction."""
    with transaction.atomic():
        actor.set_password(password)
        actor.must_change_password = False
        # Saving runs the validators' password_changed (the password history and its date).
        actor.save(update_fields=["password", "must_change_password"])
        audit.record(action=AuditAction.PASSWORD_CHANGE, actor=actor, obj=actor)
    return actor


def password_expired(user, now=None) -> bool:
    """True when the password is older than `PASSWORD_MAX_AGE_DAYS` (0 switches the rule off)."""
    if not settings.PASSWORD_MAX_AGE_DAYS:
        return False
    changed = user.password_changed_at or user.date_joined
    now = now or timezone.now()
    return now - changed > datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


# --- Signals: audit rows and session bookkeeping (S3, S4, S9) -------------------------------


def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_LOGIN_AT] = int(time.time())
    clear_failures(user.get_username())
    audit.record(request, action=AuditAction.LOGIN_SUCCESS, actor=user, obj=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(request, action=AuditAction.LOGOUT, actor=user, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if locked_until(username) is not None:
        return  # refused before checking the password; LoginForm records that
    register_failure(username, request)


def session_too_old(request, now=None) -> bool:
    started = request.session.get(SESSION_LOGIN_AT)
    now = now if now is not None else time.time()
    return started is None or now - started > settings.SESSION_ABSOLUTE_SECONDS


__all__ = [
    "LoginForm",
    "PasswordHistoryValidator",
    "clear_failures",
    "locked_until",
    "password_expired",
    "register_failure",
    "session_too_old",
    "unlock",
]
