"""Errors as RFC 9457 problem details (application/problem+json), with field-level messages.

Every error the API gives has this shape (ADR 0007)::

    {"type": "https://writecarenotes.org/problems/validation",   # or "about:blank"
     "title": "Invalid request", "status": 422, "instance": "/api/v1/platform/units",
     "detail": "...",                                            # optional, for people
     "errors": [{"field": "name", "message": "Field required"}]}  # 422 only

Raised in an operation (or a service it calls) and turned into a problem here:

  ninja ValidationError, django ValidationError   422 with ``errors``
  AuthenticationError, NotSignedIn                401
  PermissionDenied                                403
  Http404                                         404
  Problem (and its subclasses in concurrency.py)  its own status: 409, 412, 428 ...
  HttpError                                       its status
  anything else                                   500 (logged, no detail leaked)

Responses made outside ninja (an unknown /api/v1/ path, a method the path does not allow, a
failed CSRF check) are rewritten into problems by ``middleware.ApiProblemMiddleware``.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from writecarenotes.platform.identity.permissions import NotSignedIn, public

logger = logging.getLogger(__name__)

PROBLEM_TYPE_BASE = "https://writecarenotes.org/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"

#: The problem ``type`` suffix used for a status when nothing more specific is known.
KIND_FOR_STATUS = {
    400: "bad-request",
    401: "auth",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    412: "precondition-failed",
    413: "too-large",
    415: "unsupported-media-type",
    422: "validation",
    428: "precondition-required",
    429: "too-many-requests",
    500: "internal",
}


class Problem(Exception):
    """Raise in an operation or a service to answer with a problem of this status."""

    status = 400
    kind = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str = "", *, title: str | None = None, headers: dict | None = None, **extra):
        super().__init__(detail or title or self.title)
        self.detail = detail
        if title:
            self.title = title
        self.headers = headers or {}
        self.extra = extra


class Conflict(Problem):
    status = 409
    kind = "conflict"
    title = "Conflict"


def problem_body(
    instance: str, status: int, title: str, *, detail: str = "", kind: str = "", errors: list | None = None, **extra
) -> dict:
    """The RFC 9457 problem document (also used for one item of a batch, see care_records.api_batch)."""
    body = {
        "type": PROBLEM_TYPE_BASE + kind if kind else "about:blank",
        "title": title,
        "status": status,
        "instance": instance,
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return body


def problem(
    request, status: int, title: str, *, detail: str = "", kind: str = "", errors: list | None = None, **extra
) -> JsonResponse:
    body = problem_body(request.path, status, title, detail=detail, kind=kind, errors=errors, **extra)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


def problem_for_status(request, status: int, detail: str = "") -> JsonResponse:
    """A generic problem for a bare status code (used where no exception says more)."""
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    return problem(request, status, title, detail=detail, kind=KIND_FOR_STATUS.get(status, ""))


def _field_errors(exc: NinjaValidationError) -> list[dict]:
    out = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "payload", "query", "path", "header", "filters")]
        out.append({"field": ".".join(loc) or None, "message": err.get("msg", "invalid")})
    return out


def validation_errors(exc: ValidationError) -> list[dict]:
    """A Django ValidationError as the problem's field messages."""
    if hasattr(exc, "error_dict"):
        return [
            {"field": None if f == "__all__" else f, "message": str(m)}
            for f, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return [{"field": None, "message": str(m)} for m in exc.messages]


def install(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def _validation(request, exc):
        return problem(request, 422, "Invalid request", kind="validation", errors=_field_errors(exc))

    @api.exception_handler(ValidationError)
    def _django_validation(request, exc):
        # a service's ValidationError subclass may add members to the problem (``problem_extra()``: for
        # example the safety findings of a refused dose, so a client can offer an override)
        extra = exc.problem_extra() if callable(getattr(exc, "problem_extra", None)) else {}
        return problem(request, 422, "Invalid request", kind="validation", errors=validation_errors(exc), **extra)

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

    @api.exception_handler(Problem)
    def _problem(request, exc: Problem):
        response = problem(request, exc.status, exc.title, detail=exc.detail, kind=exc.kind, **exc.extra)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        status = exc.status_code
        return problem(request, status, str(exc) or "Error", kind=KIND_FOR_STATUS.get(status, ""))

    @api.exception_handler(Exception)
    def _unexpected(request, exc):
        logger.exception("Unhandled API error on %s", request.path)
        return problem(request, 500, "Internal error", detail="The error was logged.", kind="internal")


@public
def api_not_found(request, rest: str = ""):
    """Any /api/v1/ path that no operation matches: a 404 problem, never an HTML page."""
    return problem(request, 404, "Not found", detail=_("There is no API operation at this address."), kind="not-found")
