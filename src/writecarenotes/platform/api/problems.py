"""Errors as RFC 9457 problem details (application/problem+json), with field-level messages."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from writecarenotes.platform.identity.permissions import NotSignedIn

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://writecarenotes.org/problems/"


def problem(
    request, status: int, title: str, *, detail: str = "", kind: str = "", errors: list | None = None, **extra
) -> JsonResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + kind if kind else "about:blank",
        "title": title,
        "status": status,
        "instance": request.path,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return JsonResponse(body, status=status, content_type="application/problem+json")


def _field_errors(exc: NinjaValidationError) -> list[dict]:
    out = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path")]
        out.append({"field": ".".join(loc) or None, "message": err.get("msg", "invalid")})
    return out


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        return problem(request, 422, "Invalid request", kind="validation", errors=_field_errors(exc))

    @api.exception_handler(ValidationError)
    def _django_validation(request, exc):
        if hasattr(exc, "error_dict"):
            errors = [{"field": f, "message": str(m)} for f, msgs in exc.message_dict.items() for m in msgs]
        else:
            errors = [{"field": None, "message": str(m)} for m in exc.messages]
        return problem(request, 422, "Invalid request", kind="validation", errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        return problem(request, 401, "Not signed in", detail="Sign in, or send a valid API token.", kind="auth")

    @api.exception_handler(NotSignedIn)
    def _not_signed_in(request, exc):
        return problem(request, 401, "Not signed in", detail="Sign in, or send a valid API token.", kind="auth")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc):
        return problem(request, 403, "Forbidden", detail="Your role does not allow this here.", kind="forbidden")

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        return problem(request, 404, "Not found", kind="not-found")

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        return problem(request, exc.status_code, str(exc) or "Error")

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("Unhandled API error on %s", request.path)
        return problem(request, 500, "Internal error", detail="The error was logged.", kind="internal")
