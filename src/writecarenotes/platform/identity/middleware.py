"""Session lifetime (idle and absolute) and the two-factor requirement."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

_SESSION_STARTED = "wcn_started"
_SESSION_SEEN = "wcn_seen"


#: seconds between two writes of a session's "last seen" time
SEEN_EVERY = 60


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_LIFETIME."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            started = request.session.get(_SESSION_STARTED)
            seen = request.session.get(_SESSION_SEEN)
            idle = settings.SESSION_IDLE_TIMEOUT.total_seconds()
            absolute = settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if started is None:
                request.session[_SESSION_STARTED] = now
            elif (seen is not None and now - seen > idle) or now - started > absolute:
                logout(request)
                request.session["wcn_expired"] = True
            if getattr(request, "user", None) is not None and request.user.is_authenticated:
                # Background polling (htmx "every" triggers) must not keep a session alive.
                # The time is written at most once a minute: writing it on every request would save
                # the session (a second database transaction) on every request; idle time is then
                # measured to within a minute of a 30-minute limit.
                if request.headers.get("X-WCN-Background") != "1" and (seen is None or now - seen >= SEEN_EVERY):
                    request.session[_SESSION_SEEN] = now
        return self.get_response(request)


def _exempt(path: str) -> bool:
    # The installable app's shell (service worker, manifest, offline page) holds no personal data and
    # must load before the second factor, or the service worker can never install or update.
    prefixes = ["/static/", "/api/", "/account/", "/healthz", "/sw.js", "/manifest.webmanifest", "/offline/"]
    return any(path.startswith(p) for p in prefixes)


class TwoFactorRequiredMiddleware:
    """Staff who can see resident, finance or HR data must have verified a second factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TWO_FACTOR_REQUIRED and not _exempt(request.path):
            user = getattr(request, "user", None)
            access = getattr(request, "access", None)
            if (
                user is not None
                and user.is_authenticated
                and access is not None
                and access.needs_two_factor
                and not user.is_verified()
            ):
                from django_otp import devices_for_user

                target = "identity:two_factor_verify" if any(devices_for_user(user)) else "identity:two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
