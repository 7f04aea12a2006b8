"""Optimistic concurrency for updates: ETag on reads, If-Match required on writes (ADR 0007).

A client reads a record and gets its ``ETag``; it sends the value back in ``If-Match`` when it
changes the record. When somebody else changed the record in between, the tags differ and the
write is refused with 412 (the client re-reads and shows the person what changed). A write of
a clinical record without ``If-Match`` is refused with 428, so a stale tablet can never
overwrite a colleague's entry by accident.

ETags are strong (``If-Match`` uses the strong comparison of RFC 9110 section 13.1.1):
- a row with an integer ``version`` field: ``"v<version>"``;
- any other row: the first 32 hex digits of the SHA-256 of its concrete field values.

The check belongs inside the service's transaction, after the row was locked
(``select_for_update``): ``check_if_match(if_match, etag_for(row))``.
"""

from __future__ import annotations

import hashlib
import json

from django.db import models
from django.utils.translation import gettext as _

from writecarenotes.platform.api.problems import Problem


class PreconditionRequired(Problem):
    status = 428
    kind = "precondition-required"
    title = "Precondition required"


class PreconditionFailed(Problem):
    status = 412
    kind = "precondition-failed"
    title = "Precondition failed"


def _field_values(instance: models.Model) -> dict:
    values = {}
    for f in instance._meta.concrete_fields:
        value = f.value_from_object(instance)
        values[f.attname] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
    return values


def etag_for(instance: models.Model) -> str:
    """The strong entity tag of a row, quoted as it goes in the ``ETag`` header."""
    version = getattr(instance, "version", None)
    if isinstance(version, int) and not isinstance(version, bool):
        return f'"v{version}"'
    blob = json.dumps(_field_values(instance), sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(blob.encode()).hexdigest()[:32] + '"'


def parse_if_match(value: str) -> list[str]:
    """The entity tags of an If-Match header value; weak tags are kept with their W/ prefix."""
    tags, buf, quoted = [], "", False
    for ch in value:
        if ch == '"':
            quoted = not quoted
            buf += ch
        elif ch == "," and not quoted:
            if buf.strip():
                tags.append(buf.strip())
            buf = ""
        else:
            buf += ch
    if buf.strip():
        tags.append(buf.strip())
    return tags


def if_match_header(request, *, required: bool = True) -> str | None:
    """The request's If-Match value; raises 428 when it is required and missing."""
    value = (request.headers.get("If-Match") or "").strip()
    if not value:
        if required:
            raise PreconditionRequired(
                _("Send the ETag you last read in an If-Match header, so a newer change is not overwritten.")
            )
        return None
    return value


def check_if_match(if_match: str | None, current_etag: str) -> None:
    """Raise 412 unless ``if_match`` is ``*`` or names ``current_etag`` (strong comparison)."""
    if if_match is None:
        return
    tags = parse_if_match(if_match)
    if "*" in tags or current_etag in tags:
        return
    raise PreconditionFailed(
        _("This record was changed by someone else since you read it. Read it again, check, and retry."),
        headers={"ETag": current_etag},
    )


def require_if_match(request, instance: models.Model) -> None:
    """Pages and simple operations: 428 without If-Match, 412 when it does not name the row's ETag."""
    check_if_match(if_match_header(request), etag_for(instance))
