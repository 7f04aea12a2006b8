"""API of medication error reporting (mounted under /api/v1/medication/).

/errors                   GET the reports (paginated; ?resident_id=&kind=&harm=) / POST report one
                          (Idempotency-Key honoured); each raises a "medication error" incident
/errors/{error_id}        GET one (ETag) / PATCH correct it (If-Match, reason; "manage")
"""

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication.models import MedicationError
from writecarenotes.medication.services_errors import ErrorNotFound, correct_error, report_error
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, exact, paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["medication: errors"])

#: a database id (64-bit signed: a larger number is refused with a 422)
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorIn(Schema):
    resident_id: Id | None = Field(None, description="The resident affected (none for e.g. a storage error)")
    order_id: Id | None = Field(None, description="The medicine order it concerns, if any")
    administration_id: Id | None = Field(None, description="The dose record it concerns, if any")
    home_id: Id | None = Field(None, description="Default: the resident's home, else the active home")
    kind: str = Field(..., description="omitted, wrong_dose, wrong_medicine, wrong_resident, wrong_time, ..., other")
    description: str = Field(..., max_length=5000)
    occurred_at: datetime
    harm: str = Field(..., description="no_harm, low, moderate, severe, death")
    immediate_action: str = Field("", max_length=5000)
    gp_informed: bool = False


class ErrorCorrectionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
    kind: str | None = None
    description: str | None = Field(None, max_length=5000)
    occurred_at: datetime | None = None
    harm: str | None = None
    immediate_action: str | None = Field(None, max_length=5000)
    gp_informed: bool | None = None


class ErrorOut(Schema):
    id: int
    home_id: int
    resident_id: int | None
    order_id: int | None
    administration_id: int | None
    kind: str
    description: str
    occurred_at: datetime
    harm: str
    immediate_action: str
    gp_informed: bool
    reported_by_id: int
    reported_at: datetime
    version: int


class ErrorFilters(Filters):
    resident_id: Annotated[Id | None, exact("resident_id")] = None
    kind: Annotated[str | None, exact("kind")] = None
    harm: Annotated[str | None, exact("harm")] = None


def error_out(e: MedicationError) -> dict:
    return {f: getattr(e, f) for f in ErrorOut.model_fields}


def _read(e: MedicationError) -> None:
    if e.resident_id:
        record_read("residents.resident", e.resident_id, home=e.home_id, part="medication error report (API)")


def _one(error_id: int, response: HttpResponse) -> dict:
    e = MedicationError.objects.filter(pk=error_id).first()
    if e is None:
        raise Http404(_("No such medication error report."))
    _read(e)
    response["ETag"] = etag_for(e)
    return error_out(e)


@router.get("/errors", response=list[ErrorOut], summary="Medication error reports, newest first")
@paginated
@requires("medication", "view")
def list_errors(request, filters: Query[ErrorFilters]):
    qs = filters.filter(MedicationError.objects.all()).order_by("-occurred_at", "-pk")

    def out(e):
        _read(e)
        return error_out(e)

    return Mapped(qs, out)


@router.post("/errors", response={201: ErrorOut}, summary="Report a medication error (raises an incident)")
@requires("medication", "record")
@idempotent
def post_error(request, payload: ErrorIn, response: HttpResponse):
    data = payload.dict()
    ids = {k: data.pop(k) for k in ("resident_id", "order_id", "administration_id", "home_id")}
    if ids["home_id"] is None and request.access.active_home is not None:
        ids["home_id"] = request.access.active_home.pk
    error = report_error(user=request.user, values=data, **ids)
    response["Location"] = f"/api/v1/medication/errors/{error.pk}"
    response["ETag"] = etag_for(error)
    return Status(201, error_out(error))


@router.get("/errors/{int:error_id}", response=ErrorOut, summary="One medication error report (and its ETag)")
@requires("medication", "view")
def get_error(request, error_id: int, response: HttpResponse):
    return _one(error_id, response)


@router.patch(
    "/errors/{int:error_id}",
    response=ErrorOut,
    summary="Correct a report: a new version with a reason",
    openapi_extra={
        "parameters": [{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}]
    },
)
@requires("medication", "manage")
def patch_error(request, error_id: int, payload: ErrorCorrectionIn, response: HttpResponse):
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason")
    values = {k: v for k, v in values.items() if v is not None}
    try:
        correct_error(error_id, user=request.user, reason=reason, values=values, if_match=if_match_header(request))
    except ErrorNotFound:
        raise Http404(_("No such medication error report.")) from None
    return _one(error_id, response)
