"""Helpers shared by the pathways API modules (``api_pathways``, ``api_pathways_registers``)."""

import functools

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.decorators import decorate_view
from ninja.responses import Status

from writecarenotes.care_planning import api_pathways_schemas as s
from writecarenotes.platform.api.concurrency import etag_for
from writecarenotes.platform.api.problems import problem_for_status
from writecarenotes.platform.audit.services import record_read
from writecarenotes.residents.public import get_resident_or_404

R = "/residents/{resident_id}/pathways"
LIMIT = 1000


_ref = get_resident_or_404  # a resident of the active scope, or a 404


def _object_first(run):
    """Find the resident of the path BEFORE the body is parsed: another home's resident is a 404 problem
    even for a request whose body is invalid (the permission check runs before this)."""

    @functools.wraps(run)
    def wrapped(request, **kw):
        try:
            if "resident_id" in kw:
                _ref(int(kw["resident_id"]))
        except (TypeError, ValueError):
            pass  # not a number: ninja answers 422 for the path parameter
        except Http404 as exc:
            return problem_for_status(request, 404, str(exc))
        return run(request, **kw)

    return wrapped


object_first = decorate_view(_object_first)


def _read(ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=f"{part} (API)", label=ref.display_name)


def _row(model, ref, item_id: int):
    row = model.objects.filter(pk=item_id, resident_id=ref.id).first()
    if row is None:
        raise Http404(_("No such record."))
    return row


def _etag(response: HttpResponse, row):
    response["ETag"] = etag_for(row)
    return row


def _now(value):
    return value if value is not None else timezone.now()


def _created(response: HttpResponse, ref, kind: str, entry):
    response["Location"] = f"/api/v1/care_planning/residents/{ref.id}/pathways/{kind}/{entry.pk}"
    return Status(201, s.entry_out(kind, entry))
