"""Recording many entries in one request: ``POST /api/v1/care_records/entries/batch``.

A phone that was offline, or a device that records for a whole unit, sends its queued notes and
chart entries together. Each entry is still its own record, exactly as if it were posted alone:

- each carries its own idempotency ``key``, and it is the SAME key space as the single-entry
  endpoints (``POST .../residents/{id}/notes`` or ``.../charts/{chart}``, with the key as the
  ``Idempotency-Key`` header): an entry sent alone and then again in a batch (or twice in batches)
  is recorded once, and the retry gets the first answer back (``replayed: true``);
- each is validated by the same schema and the same service function (``record_note``,
  ``record_chart_entry``) and writes its own audit record and domain event;
- each succeeds or fails on its own: a bad entry gets its problem (status, field messages) in
  its result and is not written at all, while the others are recorded. Nothing is half-written:
  every entry runs in its own savepoint inside the request's one transaction, which is why a
  batch is also much cheaper than the same entries posted one by one (docs/performance.md): each
  resident is read once, the stored answers of all the keys are looked up at once, and the home's
  audit chain head is locked once and written back once (``audit.chain.held_heads``).

The answer is ``200`` with one result per entry, in the order sent. Only an error of the server
itself (a 5xx) rolls the whole batch back.
"""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.renderers import JSONRenderer
from pydantic import ValidationError as SchemaError

from writecarenotes.care_records.api_schemas import CHART_INPUTS, EntryOut, NoteIn, entry_out
from writecarenotes.care_records.services_charts import record_chart_entry
from writecarenotes.care_records.services_notes import record_note, residents_read_once
from writecarenotes.platform.api.idempotency import (
    MAX_KEY_LENGTH,
    KeyInUse,
    claim,
    owner_of,
    request_fingerprint,
    stored_answers,
)
from writecarenotes.platform.api.problems import problem_body, validation_errors
from writecarenotes.platform.audit import chain
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.public import ResidentNotFound

router = Router(tags=["care records"])

#: At most this many entries in one request (a phone's queue after a long outage is sent in parts).
MAX_BATCH = 100
API_PREFIX = "/api/v1/care_records"
_RENDERER = JSONRenderer()
_CONTENT_TYPE = f"{_RENDERER.media_type}; charset={_RENDERER.charset}"


class BatchEntryIn(Schema):
    key: str = Field(
        ...,
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=r"^[!-~]+$",
        description="The entry's idempotency key (as the Idempotency-Key header of the single-entry endpoint)",
    )
    resident_id: int = Field(..., ge=1, le=2**63 - 1)
    kind: str = Field(..., description="notes, or a chart: " + ", ".join(CHART_INPUTS))
    values: dict[str, Any] = Field(..., description="The body the single-entry endpoint takes for this kind")


class BatchIn(Schema):
    entries: list[BatchEntryIn] = Field(..., min_length=1, max_length=MAX_BATCH)


class BatchResult(Schema):
    key: str
    status: int = Field(..., description="201 recorded; 4xx refused (see problem); a replay keeps the first status")
    replayed: bool = False
    location: str | None = None
    entry: EntryOut | None = None
    problem: dict[str, Any] | None = None


class BatchOut(Schema):
    recorded: int = Field(..., description="entries recorded by this request (not counting replays)")
    results: list[BatchResult]


def _path(item: BatchEntryIn) -> str:
    if item.kind == "notes":
        return f"{API_PREFIX}/residents/{item.resident_id}/notes"
    return f"{API_PREFIX}/residents/{item.resident_id}/charts/{item.kind}"


def _schema_errors(exc: SchemaError) -> list[dict]:
    return [
        {"field": ".".join(str(p) for p in err.get("loc", ())) or None, "message": err.get("msg", "invalid")}
        for err in exc.errors()
    ]


def _refused(item: BatchEntryIn, status: int, title: str, **kw) -> dict:
    return {"key": item.key, "status": status, "problem": problem_body(_path(item), status, title, **kw)}


def _record(request, item: BatchEntryIn, owner: str, answers: dict, heads: chain.HeldHeads) -> dict:
    """One entry, in its own savepoint; returns its result (never raises for a refusal)."""
    schema = NoteIn if item.kind == "notes" else CHART_INPUTS.get(item.kind)
    if schema is None:
        errors = [{"field": "kind", "message": _("Unknown kind of record.")}]
        return _refused(item, 422, "Invalid request", kind="validation", errors=errors)
    path = _path(item)
    body = json.dumps(item.values).encode()
    try:
        with heads.undone_on_error(), transaction.atomic():
            held = claim(owner, item.key, "POST", path, request_fingerprint(body), prefetched=answers)
            if held.reused_for_another_request:
                return _refused(
                    item,
                    422,
                    "Idempotency-Key reused",
                    kind="idempotency-key-reused",
                    detail=_("This key was already used for a different entry. Use a new key."),
                    errors=[{"field": "key", "message": _("Already used for a different request.")}],
                )
            if held.found is not None:
                found = held.found
                return {
                    "key": item.key,
                    "status": found.status,
                    "replayed": True,
                    "location": found.headers.get("Location"),
                    "entry": json.loads(found.body),
                }
            data = schema.model_validate(item.values).model_dump()
            occurred_at = data.pop("occurred_at", None) or timezone.now()  # as the single-entry endpoints
            if item.kind == "notes":
                entry = record_note(resident_id=item.resident_id, user=request.user, occurred_at=occurred_at, **data)
            else:
                entry = record_chart_entry(
                    item.kind, resident_id=item.resident_id, user=request.user, occurred_at=occurred_at, values=data
                )
            out = EntryOut.model_validate(entry_out(item.kind, entry)).model_dump()
            location = f"{API_PREFIX}/residents/{entry.resident_id}/entries/{item.kind}/{entry.pk}"
            # stored exactly as the single-entry endpoint stores its answer (ninja's JSON renderer)
            response = HttpResponse(_RENDERER.render(request, out, response_status=201), status=201)
            response["Content-Type"] = _CONTENT_TYPE
            response["Location"] = location
            # a later entry of this batch with the same key replays this answer
            answers[(item.key, "POST", path)] = held.store(
                response, headers=("Location",), default_content_type=_CONTENT_TYPE
            )
            return {"key": item.key, "status": 201, "location": location, "entry": out}
    except SchemaError as exc:
        return _refused(item, 422, "Invalid request", kind="validation", errors=_schema_errors(exc))
    except ValidationError as exc:
        return _refused(item, 422, "Invalid request", kind="validation", errors=validation_errors(exc))
    except ResidentNotFound:
        return _refused(item, 404, "Not found", kind="not-found", detail=_("No such resident."))
    except KeyInUse:
        return _refused(
            item,
            409,
            "Request already in progress",
            kind="idempotency-in-progress",
            detail=_("An entry with this key is being recorded by another request. Send it again in a moment."),
        )


@router.post("/entries/batch", response=BatchOut, summary="Record many notes and chart entries at once")
@requires("care_records", "record")
def record_batch(request, payload: BatchIn):
    owner = owner_of(request)
    with transaction.atomic(), residents_read_once(), chain.held_heads() as heads:
        answers = stored_answers(owner, [item.key for item in payload.entries])
        results = [_record(request, item, owner, answers, heads) for item in payload.entries]
    recorded = sum(1 for r in results if r["status"] == 201 and not r.get("replayed"))
    return {"recorded": recorded, "results": results}
