"""Makes every error under /api/ a problem document, even when it was not made by ninja.

ninja answers its own operations with problems (problems.install). A few answers come from
elsewhere: a method the path does not allow (ninja's plain-text 405), Django's CSRF failure
page, an HTML 404/500 from a middleware. This middleware rewrites any such non-JSON error
response under /api/ into application/problem+json with the same status (keeping ``Allow``).

It also refuses, with a 422 problem, a query string that holds a NUL character: PostgreSQL text
cannot hold one, so a filter with it would otherwise fail in the database (a 500).
"""

from __future__ import annotations

from writecarenotes.platform.api.problems import problem, problem_for_status

API_PREFIX = "/api/"
_KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(API_PREFIX) and any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
            return problem(
                request,
                422,
                "Invalid request",
                detail="A query parameter holds a NUL character, which text cannot contain.",
                kind="validation",
            )
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        content_type = response.get("Content-Type", "")
        if "json" in content_type:
            return response
        rewritten = problem_for_status(request, response.status_code)
        for name in _KEEP_HEADERS:
            if name in response:
                rewritten[name] = response[name]
        return rewritten
