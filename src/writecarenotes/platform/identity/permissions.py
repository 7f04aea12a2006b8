"""Permission decorators shared by pages and API operations.

Every view and API operation carries exactly one of these markers; the access-matrix test
walks the URL configuration and the API schema and fails on any route without one.

  @requires("residents", "view")   needs that capability in the active home
  @signed_in                       any signed-in user (their own profile, switching home)
  @public                          no sign-in (log-in, password reset, health check)
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied

from writecarenotes.platform.identity.capabilities import ACTIONS, CONTEXTS


class NotSignedIn(PermissionDenied):
    """Raised for an anonymous request to a protected route (pages redirect; the API answers 401)."""


def _mark(func: Callable, marker: tuple) -> Callable:
    func.wcn_permission = marker  # type: ignore[attr-defined]
    return func


def requires(context: str, action: str) -> Callable[[Callable], Callable]:
    if context not in CONTEXTS:
        raise ValueError(f"unknown context {context!r}")
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                raise NotSignedIn()
            access = getattr(request, "access", None)
            if access is None or not access.can(context, action):
                _record_denial(request, context, action)
                raise PermissionDenied(f"needs {context}:{action}")
            return view(request, *args, **kwargs)

        return _mark(wrapper, ("capability", context, action))

    return decorator


def signed_in(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            raise NotSignedIn()
        return view(request, *args, **kwargs)

    return _mark(wrapper, ("signed_in",))


def public(view: Callable) -> Callable:
    return _mark(view, ("public",))


_denial_hooks: list[Callable] = []


def on_denial(hook: Callable) -> Callable:
    """Register a hook called with (request, context, action) when a capability check fails.

    The audit trail (Platform II) subscribes here so that denied attempts are recorded.
    """
    _denial_hooks.append(hook)
    return hook


def _record_denial(request, context: str, action: str) -> None:
    for hook in _denial_hooks:
        hook(request, context, action)
