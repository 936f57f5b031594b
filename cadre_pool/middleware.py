import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cadre_pool import audit
from cadre_pool.accounts import otp
from cadre_pool.accounts.auth import password_expired, session_too_old
from cadre_pool.models import AuditAction


class RefuseNullBytesMiddleware:
    """A NUL byte in the query string is never something a person typed, and PostgreSQL cannot
    compare text with one: every search or filter that passed it on would answer 500. Forms
    refuse it in posted fields themselves (Django's CharField)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A NUL arrives raw or as %00, nothing else decodes to it; looking for both is what decoding the
        # whole query string found, without decoding a long hostile one on every request.
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in query or "%00" in query:
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages shown to a signed-in user carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "no-store, private"
        return response


class SessionRenewalMiddleware:
    """The idle limit (S4): a signed-in session's expiry moves on with activity, at most once every
    SESSION_RENEW_SECONDS. Renewing on every request made every page end with a session write; this way
    a session can end up to that long before 30 idle minutes have passed, never after."""

    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(self.KEY, 0) >= settings.SESSION_RENEW_SECONDS:
                request.session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return self.get_response(request)


class AbsoluteSessionLimitMiddleware:
    """Ends a session `SESSION_ABSOLUTE_SECONDS` (12 hours) after sign-in, however active it was (S4).

    The idle limit is the cookie age, renewed with activity (SessionRenewalMiddleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and session_too_old(request):
            audit.record(request, action=AuditAction.SESSION_EXPIRED, actor=user, obj=user)
            logout(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """A user whose password is older than `PASSWORD_MAX_AGE_DAYS`, or was set by an administrator,
    reaches no page but the change page (S2)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and (user.must_change_password or password_expired(user)):
            allowed = {reverse("password_change"), reverse("logout"), reverse("set_language"), reverse("healthz")}
            if request.path not in allowed:
                if user.must_change_password:
                    messages.warning(request, _("An administrator set your password. Please choose your own."))
                else:
                    messages.warning(request, _("Your password has expired. Please choose a new one."))
                return redirect("password_change")
        return self.get_response(request)


class OTPRequiredMiddleware:
    """A user whose role is in `REQUIRE_2FA_ROLES` reaches no page but enrolment, verification and
    sign-out until this session has passed the second factor (S5)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):

        user = getattr(request, "user", None)
        if user is not None and otp.required_for(user) and not request.session.get(otp.SESSION_VERIFIED):
            allowed = {reverse("otp_verify"), reverse("otp_setup"), reverse("logout"), reverse("set_language")}
            if request.path not in allowed:
                return redirect_to_login(request.get_full_path(), login_url=reverse("otp_verify"))
        return self.get_response(request)
