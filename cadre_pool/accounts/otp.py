"""Optional second factor (S5): TOTP (RFC 6238, SHA-1, 6 digits, 30 s) and one-time recovery codes.

django-otp does the code arithmetic (`django_otp.oath`) and the throttling (`ThrottlingMixin` on
`OTPDevice`); segno draws the enrolment QR code. What stays ours: one authenticator per user with its
secret encrypted at rest, and recovery codes kept as password hashes (django-otp's static tokens are
stored in clear). Roles listed in `REQUIRE_2FA_ROLES` reach no page after a password-only sign-in until
they enrol or enter a code (`OTPRequiredMiddleware`).
"""

from __future__ import annotations

import base64
import datetime
import logging
import secrets
import time
from urllib.parse import quote

import segno
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP, hotp

from cadre_pool import audit
from cadre_pool.models import AuditAction, OTPDevice, RecoveryCode

logger = logging.getLogger(__name__)

STEP_SECONDS = 30
DIGITS = 6
TOLERANCE_STEPS = 1  # one step of clock drift either way
SESSION_VERIFIED = "cadre_otp_verified"
RECOVERY_CODES = 10


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def _totp(secret: str) -> TOTP:
    return TOTP(base64.b32decode(secret), step=STEP_SECONDS, digits=DIGITS)


def code_at(secret: str, step: int) -> str:
    return f"{hotp(base64.b32decode(secret), step, digits=DIGITS):0{DIGITS}d}"


def current_step(now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // STEP_SECONDS)


def provisioning_uri(device: OTPDevice) -> str:
    issuer = quote(settings.OTP_ISSUER)
    account = quote(device.user.get_username())
    return f"otpauth://totp/{issuer}:{account}?secret={device.secret}&issuer={issuer}&digits={DIGITS}&period={STEP_SECONDS}"


def qr_svg(uri: str) -> SafeString:
    """The URI as an inline SVG QR code: paths and presentation attributes only, no style, so the
    Content Security Policy (style-src 'self') lets it through."""
    return mark_safe(segno.make(uri, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff"))  # noqa: S308 - segno's own markup


def required_for(user) -> bool:
    return user.is_authenticated and user.role in settings.REQUIRE_2FA_ROLES


def throttled_until(user) -> datetime.datetime | None:
    """When the next code may be tried after wrong ones in a row, or None if it may be tried now."""
    device = OTPDevice.objects.filter(user=user).first()
    if device is None:
        return None
    allowed, details = device.verify_is_allowed()
    return None if allowed else details["locked_until"]


def verify_code(user, code: str) -> bool:
    """True when `code` is the user's current TOTP (±1 step) not used before, or an unused recovery code.

    A wrong code makes the next try wait (1, 2, 4 ... seconds); while waiting, every code is refused."""
    code = "".join((code or "").split())
    with transaction.atomic():
        device = OTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None or not device.verify_is_allowed()[0]:
            return False
        if _matches(device, code):
            device.throttle_reset(commit=False)
            device.save()
            return True
        device.throttle_increment(commit=True)
    return False


def _matches(device: OTPDevice, code: str) -> bool:
    if code.isdigit() and len(code) == DIGITS:
        try:
            totp = _totp(device.secret)
        except InvalidToken:
            logger.error("The TOTP secret of user %s does not decrypt: was OTP_ENCRYPTION_KEY changed?", device.user_id)
            return False
        if not totp.verify(int(code), tolerance=TOLERANCE_STEPS, min_t=device.last_step + 1):
            return False
        device.last_step = totp.t()
        if device.confirmed_at is None:
            device.confirmed_at = timezone.now()
        return True
    if device.confirmed_at is None:
        return False
    for recovery in RecoveryCode.objects.select_for_update().filter(user=device.user, used_at__isnull=True):
        if check_password(code.lower(), recovery.code_hash):
            recovery.used_at = timezone.now()
            recovery.save(update_fields=["used_at"])
            return True
    return False


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes; the plain codes are shown once and only their hashes kept."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=make_password(code)) for code in codes)
    return codes


def start_enrolment(*, actor) -> OTPDevice | None:
    """The user's authenticator awaiting its first code, made with a new secret on the first visit;
    None when one is enrolled already (re-enrolment needs the administrator to remove it first).

    Only the confirmation is audited: a secret nobody has proved to hold enrols nothing."""
    with transaction.atomic():
        device, _created = OTPDevice.objects.get_or_create(user=actor, defaults={"secret": new_secret()})
    return None if device.confirmed_at is not None else device


def confirm_enrolment(*, actor, code: str) -> list[str] | None:
    """Enrol the pending authenticator with its first code: the new recovery codes (shown once), or
    None when the code is wrong. The codes and the audit row are written in one transaction."""
    with transaction.atomic():
        if not verify_code(actor, code):
            return None
        codes = new_recovery_codes(actor)
        audit.record(action=AuditAction.OTP_ENROL, actor=actor, obj=actor)
    return codes


def check_sign_in_code(*, actor, code: str) -> bool:
    """The second step of signing in: `verify_code`, with its audit row whichever way it goes."""
    ok = verify_code(actor, code)
    audit.record(action=AuditAction.OTP_VERIFY, actor=actor, obj=actor, success=ok)
    return ok
