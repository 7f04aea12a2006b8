"""Small response helpers every service's pages share."""

from __future__ import annotations

from django.http import HttpResponseRedirect

__all__ = ["see_other", "status_for"]


def see_other(url: str) -> HttpResponseRedirect:
    """303 See Other: after a POST, the browser GETs ``url`` (a reload does not post again)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def status_for(request) -> int:
    """The status of a page showing a form: 422 when it is shown again with errors after a POST."""
    return 422 if request.method == "POST" else 200
