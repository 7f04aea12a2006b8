"""Checks shared by the account pages (which the two-factor middleware does not cover)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str = "web:dashboard") -> str:
    """The ?next= (or POSTed next) URL when it stays on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(default)


def with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def second_factor_redirect(request):
    """A redirect to the two-factor pages when this session must verify first, else None.

    /account/ pages are open to unverified sessions (so people can enrol and verify), but
    anything that could get round the second factor (API tokens, new recovery codes) may
    not be used until the session is verified.
    """
    if not settings.TWO_FACTOR_REQUIRED:
        return None
    user = request.user
    if user.is_verified():
        return None
    from writecarenotes.platform.identity.services import has_two_factor

    enrolled = has_two_factor(user)
    access = getattr(request, "access", None)
    if not enrolled and not (access is not None and access.needs_two_factor):
        return None
    target = "identity:two_factor_verify" if enrolled else "identity:two_factor_setup"
    return redirect(with_next(target, request.get_full_path()))
