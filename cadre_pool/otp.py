"""Optional second factor (S5): TOTP (RFC 6238, SHA-1, 6 digits, 30 s) and one-time recovery codes.

Our own forty lines instead of django-otp: the device, the code check (one step of clock drift
either way) and the replay guard (a code, or any older one, is accepted once) are all we need.
Roles listed in `REQUIRE_2FA_ROLES` reach no page after a password-only sign-in until they enrol
or enter a code (`OTPRequiredMiddleware`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from cadre_pool.models import OTPDevice, RecoveryCode

STEP_SECONDS = 30
DIGITS = 6
SESSION_VERIFIED = "cadre_otp_verified"
RECOVERY_CODES = 10


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def code_at(secret: str, step: int) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def current_step(now: float | None = None) -> int:
    return int((now if now is not None else time.time()) // STEP_SECONDS)


def provisioning_uri(device: OTPDevice) -> str:
    issuer = quote(settings.OTP_ISSUER)
    account = quote(device.user.get_username())
    return f"otpauth://totp/{issuer}:{account}?secret={device.secret}&issuer={issuer}&digits={DIGITS}&period={STEP_SECONDS}"


def required_for(user) -> bool:
    return user.is_authenticated and user.role in settings.REQUIRE_2FA_ROLES


def verify_code(user, code: str) -> bool:
    """True when `code` is the user's current TOTP (±1 step) not used before, or an unused recovery code."""
    code = "".join((code or "").split())
    with transaction.atomic():
        device = OTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        if code.isdigit() and len(code) == DIGITS:
            now = current_step()
            for step in (now - 1, now, now + 1):
                if step > device.last_step and hmac.compare_digest(code_at(device.secret, step), code):
                    device.last_step = step
                    if device.confirmed_at is None:
                        device.confirmed_at = timezone.now()
                    device.save(update_fields=["last_step", "confirmed_at"])
                    return True
            return False
        if device.confirmed_at is None:
            return False
        for recovery in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
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
