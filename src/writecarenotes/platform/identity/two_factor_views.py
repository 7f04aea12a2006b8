"""Two-factor pages: set up an authenticator app, verify a code at log-in, recovery codes, status."""

from __future__ import annotations

import base64

import django_otp
import segno
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from writecarenotes.platform.identity import services
from writecarenotes.platform.identity.forms import OtpTokenForm, PasswordCheckForm, VerifyTokenForm
from writecarenotes.platform.identity.guards import safe_next, second_factor_redirect, with_next
from writecarenotes.platform.identity.permissions import signed_in

_CODES_KEY = "wcn_recovery_codes"
_CODES_NEXT_KEY = "wcn_recovery_codes_next"


def _qr_svg(config_url: str) -> str:
    # segno writes plain SVG markup (no style attributes), so it passes the strict CSP.
    qr = segno.make(config_url, error="m")
    return qr.svg_inline(
        scale=4, border=2, omitsize=True, svgclass="qr-code", lineclass=None, title=_("QR code for your app")
    )


def _group(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@signed_in
def setup(request):
    if services.has_two_factor(request.user):
        if request.user.is_verified():
            return redirect("identity:two_factor")
        return redirect(with_next("identity:two_factor_verify", safe_next(request)))
    device = services.start_enrolment(request.user)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(request.user, device, form.cleaned_data["otp_token"])
        if codes is not None:
            device.refresh_from_db()
            request.session.cycle_key()  # a new session id for the now stronger log-in
            django_otp.login(request, device)
            request.session[_CODES_KEY] = codes
            request.session[_CODES_NEXT_KEY] = safe_next(request)
            return redirect("identity:recovery_codes")
        form.add_error(
            "otp_token", _("That code did not match. Check the time on your phone is right and try the newest code.")
        )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "identity/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308  (our own generated SVG)
            "secret": secret,
            "secret_grouped": _group(secret),
            "next": safe_next(request),
        },
    )


@signed_in
def recovery_codes(request):
    codes = request.session.pop(_CODES_KEY, None)
    next_url = request.session.pop(_CODES_NEXT_KEY, None) or safe_next(request)
    if not codes:
        return redirect("identity:two_factor")
    return render(request, "identity/recovery_codes.html", {"codes": codes, "next": next_url})


@signed_in
def verify(request):
    next_url = safe_next(request)
    if not services.has_two_factor(request.user):
        return redirect(with_next("identity:two_factor_setup", next_url))
    if request.user.is_verified():
        return redirect(next_url)
    form = VerifyTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = services.verify_second_factor(request.user, form.cleaned_data["otp_token"])
        if result.device is not None:
            request.session.cycle_key()  # a new session id for the now stronger log-in
            django_otp.login(request, result.device)
            if result.used_recovery_code:
                left = services.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("You used a recovery code; it will not work again. %(left)s recovery codes are left.")
                    % {"left": left},
                )
            return redirect(next_url)
        if result.throttled:
            form.add_error("otp_token", _("Too many wrong codes. Wait a minute, then try the newest code."))
        else:
            form.add_error("otp_token", _("That code did not work. Try the newest code from your app."))
    return render(request, "identity/two_factor_verify.html", {"form": form, "next": next_url})


@signed_in
def status(request):
    user = request.user
    enrolled = services.has_two_factor(user)
    form = PasswordCheckForm(user, request.POST or None)
    if request.method == "POST":
        if not enrolled:
            return redirect("identity:two_factor_setup")
        blocked = second_factor_redirect(request)
        if blocked is not None:
            return blocked
        if form.is_valid():
            request.session[_CODES_KEY] = services.regenerate_recovery_codes(user)
            request.session[_CODES_NEXT_KEY] = str(request.path)
            return redirect("identity:recovery_codes")
    return render(
        request,
        "identity/two_factor_status.html",
        {
            "enrolled": enrolled,
            "verified": user.is_verified(),
            "codes_left": services.recovery_codes_left(user) if enrolled else 0,
            "form": form,
        },
    )
