"""Second-factor pages (S5): enrol an authenticator, and enter a code after the password."""

import math

from django import forms
from django.conf import settings
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre_pool.access.declarations import ANY_ROLE, access
from cadre_pool.accounts import otp
from cadre_pool.models import OTPDevice


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "class": "form-control", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _wrong_code_message(user) -> str:
    until = otp.throttled_until(user)
    if until is not None:
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
        return _("Too many wrong codes in a row. Wait %(seconds)d seconds, then enter the current code.") % {
            "seconds": seconds
        }
    return _("The code is wrong or has been used already.")


@access(ANY_ROLE)
def otp_verify(request):
    device = OTPDevice.objects.filter(user=request.user, confirmed_at__isnull=False).first()
    if device is None:
        return redirect(f"{reverse('otp_setup')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        if otp.check_sign_in_code(actor=request.user, code=form.cleaned_data["code"]):
            request.session[otp.SESSION_VERIFIED] = True
            return redirect(_next(request))
        form.add_error("code", _wrong_code_message(request.user))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next(request)})


@access(ANY_ROLE)
def otp_setup(request):
    device = otp.start_enrolment(actor=request.user)
    if device is None:
        return redirect("otp_verify")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = otp.confirm_enrolment(actor=request.user, code=form.cleaned_data["code"])
        if codes is not None:
            request.session[otp.SESSION_VERIFIED] = True
            return render(request, "registration/otp_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", _("The code is wrong or has been used already."))
    uri = otp.provisioning_uri(device)
    context = {"form": form, "secret": device.secret, "uri": uri, "qr": otp.qr_svg(uri), "next": _next(request)}
    return render(request, "registration/otp_setup.html", context)
