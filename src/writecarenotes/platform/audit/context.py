"""Who, acting for which home, from where: the context of the audit records written now.

``AuditContextMiddleware`` sets it for each request; background code enters
:func:`acting_as_system`. The actor is resolved when a record is written (not when the
request starts) so that API-token requests (authenticated inside django-ninja) and the
log-in request itself are attributed to the right user.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

USER_AGENT_MAX = 300
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


@dataclass(frozen=True)
class AuditContext:
    request: object | None = None
    ip: str = ""
    user_agent: str = ""
    request_id: str = ""
    system_reason: str = ""


@dataclass(frozen=True)
class Actor:
    kind: str  # "user", "anonymous" or "system"
    user_id: int | None
    email: str
    system_reason: str
    organisation_id: int | None  # of the acting user's access, when known
    active_home_id: int | None


_current: ContextVar[AuditContext | None] = ContextVar("wcn_audit_context", default=None)


def current_context() -> AuditContext | None:
    return _current.get()


@contextmanager
def activate(ctx: AuditContext | None) -> Iterator[AuditContext | None]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def acting_as_system(reason: str) -> Iterator[AuditContext]:
    """Attribute the audit records written in this block to the system, for ``reason``."""
    if not reason or not reason.strip():
        raise ValueError("acting_as_system needs a reason (which job or command is acting)")
    with activate(AuditContext(system_reason=reason.strip()[:200], request_id=uuid.uuid4().hex)) as ctx:
        yield ctx  # type: ignore[misc]


def clean_ip(value: str | None) -> str:
    if not value:
        return ""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return ""


def context_for_request(request) -> AuditContext:
    incoming = request.headers.get("X-Request-ID", "")
    return AuditContext(
        request=request,
        # REMOTE_ADDR only: a forwarded-for header is trivially forged. Behind a proxy, set the
        # proxy to pass the client address as REMOTE_ADDR (see docs/decisions/0005-audit-trail.md).
        ip=clean_ip(request.META.get("REMOTE_ADDR")),
        user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_MAX],
        request_id=incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex,
    )


def current_actor() -> Actor:
    ctx = _current.get()
    if ctx is None:
        # Not inside a request nor acting_as_system(): still recorded, and visibly unattributed.
        return Actor("system", None, "", "unattributed (no audit context)", None, None)
    if ctx.request is None:
        return Actor("system", None, "", ctx.system_reason, None, None)
    request = ctx.request
    user = getattr(request, "user", None)
    access = getattr(request, "access", None)
    org_id = getattr(access, "organisation_id", None) if access is not None else None
    active = getattr(access, "active_home", None) if access is not None else None
    if user is not None and getattr(user, "is_authenticated", False):
        return Actor("user", user.pk, user.email, "", org_id, active.pk if active is not None else None)
    return Actor("anonymous", None, "", "", None, None)
