"""Anonymous visitors to a protected page are sent to the log-in page, not shown a 403."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django_htmx.http import HttpResponseClientRedirect

from writecarenotes.platform.identity.permissions import NotSignedIn


class SignInRedirectMiddleware:
    """Turns ``NotSignedIn`` raised by a page view into a redirect to the log-in page with ``?next=``.

    The JSON API is left alone: ninja answers it with a 401 problem document itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NotSignedIn) or request.path.startswith("/api/"):
            return None
        if request.headers.get("HX-Request") == "true":
            # An htmx fragment request (a poll, a search box): a redirect would be swapped into
            # the page, so ask htmx to load the log-in page in the whole window instead.
            page = request.headers.get("HX-Current-URL") or request.get_full_path()
            target = redirect_to_login(_path_of(page))
            return HttpResponseClientRedirect(target["Location"])
        return redirect_to_login(request.get_full_path())


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
