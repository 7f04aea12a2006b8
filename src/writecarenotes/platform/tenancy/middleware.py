"""Sets request.access and activates the tenant scope for the whole request."""

from __future__ import annotations

from writecarenotes.platform.identity.access import build_access
from writecarenotes.platform.tenancy.scope import activate

SESSION_KEY = "wcn_active_home"


class TenantScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        requested = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        access = build_access(user, requested)
        request.access = access
        with activate(access.scope()):
            return self.get_response(request)
