"""``@idempotent_form``: a page POST that records something is applied once, however often it arrives.

A carer double-taps "Save", a phone on corridor Wi-Fi sends its queued notes again after a
dropped connection (offline.js), a browser re-posts a form after "back": each must leave ONE
entry. Record-creating page views carry this decorator under their permission marker::

    @requires("care_records", "record")
    @idempotent_form
    def new_note(request, resident_id): ...

The form carries a hidden ``idempotency_key`` field (a UUID made when the form is rendered);
the offline queue also sends it as the ``Idempotency-Key`` header (the header wins when both
are present). It reuses the API's mechanism (``platform.api.idempotency``, ADR 0007) and its
table, so the rules are the same:

- the key is scoped to (signed-in user, key, POST, path);
- the view runs inside ``transaction.atomic()`` and its answer is stored in the SAME
  transaction as the change: the change never exists without its key, nor the key without it;
- only a successful answer is stored, which for a page is a redirect (Post/Redirect/Get): a
  form shown again with field errors stores nothing, so the person can correct it and save with
  the same key; a 5xx rolls everything back;
- the same key and the same fields again: the stored redirect is replayed (header
  ``Idempotent-Replayed: true``) without running the view;
- the same key with different fields: a 422 page that says so, nothing recorded;
- a duplicate arriving while the first is still being saved (PostgreSQL): a 409 page with
  ``Retry-After: 1``; on SQLite writers queue, so the duplicate simply gets the replay.

The fields are compared without ``csrfmiddlewaretoken`` (a queued entry is sent later with the
then-current token).

A request from the offline queue (offline.js; it sends the key in the header) gets answers a
script can read without following redirects (following one would load, and audit as read, the
resident's page for every queued entry):
- saved (or replayed): ``204 No Content`` with ``X-WCN-Location: <where the redirect pointed>``
  (the redirect itself is what is stored, so a later ordinary post gets the redirect);
- the form shown again with field errors (2xx): the status becomes 422, refused not saved;
- a redirect the view never made (log-in, second factor) stays a redirect: the script reads it
  as "log in again".

Without a key (or when nobody is signed in) the view simply runs.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from writecarenotes.platform.api.idempotency import (
    HEADER,
    REPLAYED_HEADER,
    KeyInUse,
    claim,
    owner_of,
    replay,
    valid_key,
)

FIELD = "idempotency_key"
#: Where a saved entry's redirect pointed, on the 204 answer to the offline queue.
LOCATION_HEADER = "X-WCN-Location"
IGNORED_FIELDS = frozenset({"csrfmiddlewaretoken", FIELD})
_REPLAYED_RESPONSE_HEADERS = ("Location",)


def key_of(request) -> str:
    """The request's idempotency key: the header, else the hidden form field ("" when none)."""
    return (request.headers.get(HEADER) or request.POST.get(FIELD) or "").strip()


def form_fingerprint(request) -> str:
    """SHA-256 of the submitted fields (order-independent), without the CSRF token and the key itself."""
    digest = hashlib.sha256()
    for name in sorted(request.POST.keys()):
        if name in IGNORED_FIELDS:
            continue
        for value in request.POST.getlist(name):
            digest.update(f"{name}\x1f{value}\x1e".encode())
    for name in sorted(request.FILES.keys()):
        for upload in request.FILES.getlist(name):
            digest.update(f"file:{name}\x1f{upload.name}\x1f{upload.size}\x1e".encode())
    return digest.hexdigest()


def _refusal(request, status: int, title: str, message: str, headers: dict | None = None):
    response = render(request, "web/idempotency_refused.html", {"title": title, "message": message}, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _for_queue(response):
    """A redirect, as a 204 the offline queue can read (see the module documentation)."""
    answer = HttpResponse(status=204)
    answer[LOCATION_HEADER] = response["Location"]
    if REPLAYED_HEADER in response:
        answer[REPLAYED_HEADER] = response[REPLAYED_HEADER]
    return answer


def idempotent_form(view: Callable) -> Callable:
    """Apply this record-creating page POST at most once per idempotency key (module docs)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        key = key_of(request)
        owner = owner_of(request)
        if not key or owner is None:
            return view(request, *args, **kwargs)
        if not valid_key(key):
            return _refusal(
                request,
                422,
                _("This form cannot be saved"),
                _("The form's hidden key is not valid. Reload the page and enter it again."),
            )
        from_queue = bool(request.headers.get(HEADER))
        try:
            with transaction.atomic():
                held = claim(owner, key, "POST", request.path, form_fingerprint(request))
                if held.reused_for_another_request:
                    return _refusal(
                        request,
                        422,
                        _("Not saved: this form was already used"),
                        _(
                            "This form was already saved with different details, so nothing new was "
                            "recorded. Open the form again to make a new entry."
                        ),
                    )
                if held.found is not None:
                    return _for_queue(replay(held.found)) if from_queue else replay(held.found)
                response = view(request, *args, **kwargs)
                status = response.status_code
                if 300 <= status < 400 and "Location" in response and not getattr(response, "streaming", False):
                    held.store(
                        response, headers=_REPLAYED_RESPONSE_HEADERS, default_content_type="text/html; charset=utf-8"
                    )
                    if from_queue:
                        return _for_queue(response)
                elif status >= 500:
                    transaction.set_rollback(True)
                elif from_queue and 200 <= status < 300:
                    response.status_code = 422  # the form came back with errors: refused, not saved
                return response
        except KeyInUse:
            # PostgreSQL: another request holds the key, or stored it between our look-up and insert.
            return _refusal(
                request,
                409,
                _("Still saving"),
                _("This entry is still being saved. Wait a moment, then check the record before trying again."),
                headers={"Retry-After": "1"},
            )

    wrapper.wcn_idempotent_form = True  # type: ignore[attr-defined]
    return wrapper
