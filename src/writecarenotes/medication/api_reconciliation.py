"""API of medicines reconciliation (under /api/v1/medication/, mounted by ``api_orders``).

/reconciliations                                  GET (?resident_id=&status=) / POST open one (manage)
/reconciliations/{reconciliation_id}              GET with its lines (ETag)
/reconciliations/{reconciliation_id}/lines        POST a medicine: sources, decision, reason, order fields
/reconciliations/{reconciliation_id}/lines/{line_id}/withdraw   POST {reason}
/reconciliations/{reconciliation_id}/complete     POST (If-Match; optional second checker's e-mail and
                                                  password): the orders are started, changed and stopped
"""

from datetime import datetime
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication import services_reconciliation as svc
from writecarenotes.medication.models import Reconciliation
from writecarenotes.medication.witness import verify_witness
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["medication: reconciliation"])
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}


class ReconciliationIn(Schema):
    resident_id: Id
    occasion: str = Field(..., description="admission, hospital_return, transfer, other")
    occasion_at: datetime | None = None
    sources_checked: list[str] = Field(
        default_factory=list,
        description="gp_record, discharge_letter, resident_family, pharmacy, brought_in, previous_mar",
    )
    notes: str = Field("", max_length=500)


class LineIn(Schema):
    medicine_id: Id | None = Field(None, description="For a new medicine")
    order_id: Id | None = Field(None, description="The resident's current order (continue, change, stop, query)")
    decision: str = Field(..., description="continue, change, stop, new, query")
    reason: str = Field("", max_length=300)
    sources: dict[str, str] = Field(default_factory=dict, description="{source: what it says}")
    order: dict = Field(default_factory=dict, description="For new and change: the order's fields (as POST /orders)")
    acknowledgement: str = Field("", max_length=500)


class ReconciliationReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=300)


class ReconciliationCompleteIn(Schema):
    second_checker_email: str = Field("", max_length=254)
    second_checker_password: str = Field("", max_length=256)
    notes: str = Field("", max_length=500)


class LineOut(Schema):
    id: int
    medicine_id: int
    medicine: str
    order_id: int | None
    sources: dict
    decision: str
    reason: str
    order_values: dict
    result_order_id: int | None
    withdrawn_reason: str


class ReconciliationOut(Schema):
    id: int
    resident_id: int
    occasion: str
    occasion_at: datetime | None
    status: str
    sources_checked: list[str]
    notes: str
    started_by_id: int | None
    completed_by_id: int | None
    completed_at: datetime | None
    second_checker_id: int | None
    version: int


class ReconciliationDetailOut(ReconciliationOut):
    lines: list[LineOut]
    undecided_order_ids: list[int]


class ReconciliationFilters(Filters):
    resident_id: int | None = None
    status: str | None = None


_FIELDS = (
    "id",
    "resident_id",
    "occasion",
    "occasion_at",
    "status",
    "sources_checked",
    "notes",
    "started_by_id",
    "completed_by_id",
    "completed_at",
    "second_checker_id",
    "version",
)


def recon_out(r: Reconciliation) -> dict:
    return {f: getattr(r, f) for f in _FIELDS}


def recon_detail(pk: int, response: HttpResponse) -> dict:
    r = Reconciliation.objects.filter(pk=pk).first()
    if r is None:
        raise Http404(_("No such reconciliation."))
    response["ETag"] = etag_for(r)
    lines = r.lines.select_related("medicine").order_by("pk")
    return {
        **recon_out(r),
        "lines": [
            {
                "id": ln.pk,
                "medicine_id": ln.medicine_id,
                "medicine": ln.medicine.name,
                "order_id": ln.order_id,
                "sources": ln.sources,
                "decision": ln.decision,
                "reason": ln.reason,
                "order_values": {k: v for k, v in ln.order_values.items() if not k.startswith("_")},
                "result_order_id": ln.result_order_id,
                "withdrawn_reason": ln.withdrawn_reason,
            }
            for ln in lines
        ],
        "undecided_order_ids": [o.pk for o in svc.missing_decisions(r)] if r.status == "open" else [],
    }


def _run(fn):
    try:
        return fn()
    except svc.ReconciliationNotFound:
        raise Http404(_("Not found.")) from None


@router.get("/reconciliations", response=list[ReconciliationOut], summary="Medicines reconciliations")
@paginated
@requires("medication", "view")
def list_reconciliations(request, filters: Query[ReconciliationFilters]):
    qs = Reconciliation.objects.order_by("-started_at", "-pk")
    if filters.resident_id is not None:
        qs = qs.filter(resident_id=filters.resident_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return Mapped(qs, recon_out)


@router.post("/reconciliations", response={201: ReconciliationDetailOut}, summary="Open a reconciliation")
@requires("medication", "manage")
@idempotent
def open_reconciliation(request, payload: ReconciliationIn, response: HttpResponse):
    r = _run(lambda: svc.start(user=request.user, **payload.dict()))
    response["Location"] = f"/api/v1/medication/reconciliations/{r.pk}"
    return Status(201, recon_detail(r.pk, response))


@router.get("/reconciliations/{int:reconciliation_id}", response=ReconciliationDetailOut, summary="One reconciliation")
@requires("medication", "view")
def get_reconciliation(request, reconciliation_id: int, response: HttpResponse):
    out = recon_detail(reconciliation_id, response)
    home_id = Reconciliation.objects.filter(pk=reconciliation_id).values_list("home_id", flat=True).first()
    record_read("residents.resident", out["resident_id"], home=home_id, part="medicines reconciliation (API)")
    return out


@router.post(
    "/reconciliations/{int:reconciliation_id}/lines",
    response={201: ReconciliationDetailOut},
    summary="Add a medicine and its decision",
)
@requires("medication", "manage")
@idempotent
def add_line(request, reconciliation_id: int, payload: LineIn, response: HttpResponse):
    _run(
        lambda: svc.add_line(
            reconciliation_id,
            user=request.user,
            medicine_id=payload.medicine_id,
            order_id=payload.order_id,
            decision=payload.decision,
            reason=payload.reason,
            sources=payload.sources,
            order_values=payload.order,
            acknowledgement=payload.acknowledgement,
        )
    )
    return Status(201, recon_detail(reconciliation_id, response))


@router.post(
    "/reconciliations/{int:reconciliation_id}/lines/{int:line_id}/withdraw",
    response=ReconciliationDetailOut,
    summary="Withdraw a line added in error",
)
@requires("medication", "manage")
@idempotent
def withdraw_line(
    request, reconciliation_id: int, line_id: int, payload: ReconciliationReasonIn, response: HttpResponse
):
    r = Reconciliation.objects.filter(pk=reconciliation_id).first()
    if r is None or not r.lines.filter(pk=line_id).exists():
        raise Http404(_("Not found."))
    _run(lambda: svc.withdraw_line(line_id, user=request.user, reason=payload.reason))
    return recon_detail(reconciliation_id, response)


@router.post(
    "/reconciliations/{int:reconciliation_id}/complete",
    response=ReconciliationDetailOut,
    summary="Complete: start, change and stop the orders",
    **IF_MATCH,
)
@requires("medication", "manage")
@idempotent
def complete(request, reconciliation_id: int, payload: ReconciliationCompleteIn, response: HttpResponse):
    if_match = if_match_header(request)
    r = Reconciliation.objects.filter(pk=reconciliation_id).first()
    if r is None:
        raise Http404(_("No such reconciliation."))
    checker = None
    if payload.second_checker_email or payload.second_checker_password:
        checker = verify_witness(
            request,
            home_id=r.home_id,
            email=payload.second_checker_email,
            password=payload.second_checker_password,
            not_user_id=request.user.pk,
            field="second_checker",
        )
    _run(
        lambda: svc.complete(
            reconciliation_id, user=request.user, second_checker=checker, notes=payload.notes, if_match=if_match
        )
    )
    return recon_detail(reconciliation_id, response)
