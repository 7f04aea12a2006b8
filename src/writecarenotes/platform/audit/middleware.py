"""Sets the audit context (who, from where, request id) for the whole request."""

from __future__ import annotations

from writecarenotes.platform.audit.context import activate, context_for_request


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ctx = context_for_request(request)
        request.audit_request_id = ctx.request_id
        with activate(ctx):
            response = self.get_response(request)
        response.headers.setdefault("X-Request-ID", ctx.request_id)
        return response
