"""Makes every error under /api/ a problem document, even when it was not made by ninja.

ninja answers its own operations with problems (problems.install). A few answers come from
elsewhere: a method the path does not allow (ninja's plain-text 405), Django's CSRF failure
page, an HTML 404/500 from a middleware. This middleware rewrites any such non-JSON error
response under /api/ into application/problem+json with the same status (keeping ``Allow``).
"""

from __future__ import annotations

from writecarenotes.platform.api.problems import problem_for_status

API_PREFIX = "/api/"
_KEEP_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiProblemMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
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
