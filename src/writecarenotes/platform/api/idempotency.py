"""``Idempotency-Key`` on POST: a retried request gets the first answer, not a second change.

Tablets on bad Wi-Fi retry. Without this a retried "dose given" would record the dose twice.
Put ``@idempotent`` under the ``@router.post(...)`` decorator of an operation (with its
permission marker)::

    @router.post("/units", response={201: UnitOut})
    @requires("homes", "manage")
    @idempotent
    def create_unit(request, payload: UnitIn): ...

When the request carries ``Idempotency-Key: <1-255 visible ASCII characters>`` (ADR 0007):
- the key is scoped to (API token or signed-in user, key, method, path);
- the operation runs inside ``transaction.atomic()`` and its response (status, body, content
  type, ETag and Location) is stored IN THE SAME TRANSACTION as the change: a crash leaves
  neither the change without its key nor the key without its change;
- a retry with the same key and the same body replays the stored response, with
  ``Idempotent-Replayed: true``, without running the operation again;
- the same key with a different body is refused with a 422 problem;
- a duplicate that arrives while the first is still running gets a 409 problem with
  ``Retry-After: 1`` (PostgreSQL: advisory lock; SQLite serialises writers, so there the
  duplicate waits and then gets the replay);
- only successful (2xx) responses are stored: a refused or failed request may be retried
  with the same key; a 5xx rolls the whole operation back;
- keys are kept for 24 hours (``KEY_LIFETIME``); ``purge_expired()`` deletes older ones.

The key is optional but honoured; the offline phone app always sends one.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.utils import contribute_operation_callback

from writecarenotes.platform.api.models import IdempotencyRecord
from writecarenotes.platform.api.problems import Conflict, problem

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_LIFETIME = timedelta(hours=24)
MAX_KEY_LENGTH = 255
_REPLAYED_RESPONSE_HEADERS = ("ETag", "Location")

OPENAPI_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "description": (
        "Optional. A unique value (for example a UUID) per intended change; a retry with the same key "
        "and body gets the first response (header Idempotent-Replayed: true) instead of a second change. "
        "Kept for 24 hours."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": "^[!-~]+$"},
}


class IdempotencyInProgress(Conflict):
    kind = "idempotency-in-progress"
    title = "Request already in progress"


def valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all("!" <= ch <= "~" for ch in key)


def request_fingerprint(body: bytes) -> str:
    """SHA-256 of the request body; JSON is canonicalised so key order and spacing do not matter."""
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = bytes(body)
    return hashlib.sha256(canonical).hexdigest()


def owner_of(request) -> str | None:
    token_id = getattr(request, "wcn_api_token_id", None)
    if token_id is not None:
        return f"token:{token_id}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


def _lock_id(*parts: str) -> int:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def try_lock(lock_id: int) -> bool:
    """Take a transaction-scoped lock on the key; False when another request holds it."""
    if connection.vendor != "postgresql":
        return True  # SQLite: BEGIN IMMEDIATE already serialises every writer
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_id])
        return bool(cursor.fetchone()[0])


def replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(record.body, status=record.status, content_type=record.content_type)
    for name, value in record.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def purge_expired(now=None) -> int:
    """Delete keys older than KEY_LIFETIME (run daily by the scheduler, or by hand)."""
    cutoff = (now or timezone.now()) - KEY_LIFETIME
    deleted, _counts = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class KeyInUse(Exception):
    """Another request holds this key (PostgreSQL), or stored it between our look-up and our insert."""

    def __init__(self, *, stored_meanwhile: bool = False):
        super().__init__("idempotency key in use")
        self.stored_meanwhile = stored_meanwhile


@dataclass
class Claim:
    """A caller's hold on one idempotency key, inside the transaction of the change it guards."""

    where: dict
    fingerprint: str
    now: datetime
    found: IdempotencyRecord | None  # the stored answer of an earlier request with this key

    @property
    def reused_for_another_request(self) -> bool:
        return self.found is not None and self.found.request_hash != self.fingerprint

    def store(
        self, response: HttpResponse, *, headers: tuple[str, ...], default_content_type: str
    ) -> IdempotencyRecord:
        """Keep ``response`` as this key's answer, in the caller's transaction; KeyInUse if another
        request stored the key meanwhile (then the caller's whole transaction must roll back)."""
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    **self.where,
                    request_hash=self.fingerprint,
                    status=response.status_code,
                    content_type=response.get("Content-Type", default_content_type),
                    body=response.content.decode("utf-8", errors="replace"),
                    headers={h: response[h] for h in headers if h in response},
                    created_at=self.now,
                )
        except IntegrityError:
            raise KeyInUse(stored_meanwhile=True) from None


def stored_answers(owner: str, keys: list[str]) -> dict[tuple[str, str, str], IdempotencyRecord]:
    """The stored answers of many keys of one owner, in one query, by (key, method, path): a batch
    of entries (care_records.api_batch) passes them to ``claim(prefetched=...)``. Read them inside
    the transaction that then claims the keys."""
    rows = IdempotencyRecord.objects.filter(owner=owner, key__in=set(keys))
    return {(r.key, r.method, r.path): r for r in rows}


def claim(owner: str, key: str, method: str, path: str, fingerprint: str, *, prefetched: dict | None = None) -> Claim:
    """Hold ``key`` for this request: call inside ``transaction.atomic()``, before the change.

    Locks the key (PostgreSQL advisory lock; SQLite's IMMEDIATE transactions already serialise
    writers), forgets an expired answer, and returns the Claim with any stored answer (looked up
    now, or in ``prefetched`` from ``stored_answers``: an answer stored by another request after
    that look-up makes ``Claim.store`` raise KeyInUse, so nothing is recorded twice). Raises
    KeyInUse when another request holds the key. Used by the API (``@idempotent``) and the pages
    (``platform.web.idempotent_forms``), so both follow the same rules and share one table.
    """
    if not try_lock(_lock_id(owner, key, method, path)):
        raise KeyInUse
    where = {"owner": owner, "key": key, "method": method, "path": path}
    now = timezone.now()
    if prefetched is None:
        found = IdempotencyRecord.objects.filter(**where).first()
    else:  # looked up with the other keys of a batch (``stored_answers``)
        found = prefetched.get((key, method, path))
    if found is not None and found.created_at < now - KEY_LIFETIME:
        found.delete()
        found = None
    return Claim(where=where, fingerprint=fingerprint, now=now, found=found)


def _run_idempotently(run, operation, request, **kw):
    key = (request.headers.get(HEADER) or "").strip()
    if request.method != "POST" or not key:
        return run(request, **kw)
    if not valid_key(key):
        return problem(
            request,
            422,
            "Invalid request",
            kind="validation",
            errors=[{"field": HEADER, "message": _("Use 1 to 255 visible ASCII characters, for example a UUID.")}],
        )
    # Authenticate first (the key belongs to the caller); the operation checks again, cheaply.
    refused = operation._run_checks(request)
    if refused is not None:
        return refused
    owner = owner_of(request)
    if owner is None:
        return run(request, **kw)
    try:
        with transaction.atomic():
            held = claim(owner, key, request.method, request.path, request_fingerprint(request.body))
            if held.reused_for_another_request:
                return problem(
                    request,
                    422,
                    "Idempotency-Key reused",
                    kind="idempotency-key-reused",
                    detail=_("This Idempotency-Key was already used for a different request. Use a new key."),
                    errors=[{"field": HEADER, "message": _("Already used for a different request.")}],
                )
            if held.found is not None:
                return replay(held.found)
            response = run(request, **kw)
            if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
                held.store(response, headers=_REPLAYED_RESPONSE_HEADERS, default_content_type="application/json")
            elif response.status_code >= 500:
                transaction.set_rollback(True)
            return response
    except KeyInUse as exc:
        # Another request holds the key, or made the change and stored it between our look-up and
        # our insert (then our transaction rolled back: the change must not be reported twice).
        detail = (
            _("A request with this Idempotency-Key was completed meanwhile. Retry to get its answer.")
            if exc.stored_meanwhile
            else _("A request with this Idempotency-Key is still being processed. Retry in a moment.")
        )
        return operation.api.on_exception(request, IdempotencyInProgress(detail, headers={"Retry-After": "1"}))


def _wrap_run(run):
    operation = run.__self__

    @functools.wraps(run)
    def idempotent_run(request, **kw):
        return _run_idempotently(run, operation, request, **kw)

    return idempotent_run


def _install(operation) -> None:
    if not hasattr(operation, "_run_decorators"):
        operation._run_decorators = []
    operation.run = _wrap_run(operation.run)
    operation._run_decorators.append(_wrap_run)
    extra = dict(operation.openapi_extra or {})
    extra["parameters"] = [*extra.get("parameters", []), OPENAPI_PARAMETER]
    operation.openapi_extra = extra


def idempotent(view):
    """Honour ``Idempotency-Key`` on this POST operation (see the module documentation)."""
    view.wcn_idempotent = True
    contribute_operation_callback(view, _install)
    return view
