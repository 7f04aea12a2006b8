"""API of homely remedies, self-administration and covert administration (under /api/v1/medication/).

/homely-remedies                          GET the home's list (?active=) / POST add one with its protocol
/homely-remedies/{remedy_id}              GET (ETag) / PATCH correct or review (If-Match, reason)
/homely-remedies/{remedy_id}/authorise    POST {resident_id, acknowledgement}: a PRN order for the resident
/self-administration                      GET (?resident_id=) / POST a risk assessment
/orders/{order_id}/covert                 POST the covert administration authorisation (sets mode covert)
"""

from datetime import date
from decimal import Decimal
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication import services_special as svc
from writecarenotes.medication.models import CovertAuthorisation, HomelyRemedy, SelfAdministrationAssessment
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, paginated
from writecarenotes.platform.identity.permissions import requires

router = Router(tags=["medication: homely remedies, self and covert administration"])
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


class RemedyFields(Schema):
    indication: str | None = Field(None, max_length=200)
    dose: Decimal | None = None
    dose_max: Decimal | None = None
    min_interval_minutes: int | None = Field(None, ge=0, le=100000)
    max_doses_24h: int | None = Field(None, ge=0, le=1000)
    max_days: int | None = Field(None, ge=0, le=1000)
    expected_effect: str | None = Field(None, max_length=200)
    cautions: str | None = Field(None, max_length=300)
    authorised_by: str | None = Field(None, max_length=120)
    authoriser_role: str | None = Field(None, description="gp or pharmacist")
    authorised_on: date | None = None
    review_date: date | None = None


class RemedyIn(RemedyFields):
    medicine_id: Id


class RemedyChangeIn(RemedyFields):
    reason: str = Field(..., min_length=1, max_length=300)
    active: bool | None = None


class AuthoriseIn(Schema):
    resident_id: Id
    acknowledgement: str = Field("", max_length=500)


class RemedyOut(Schema):
    id: int
    medicine_id: int
    medicine: str
    indication: str
    dose: str
    dose_max: str | None
    min_interval_minutes: int
    max_doses_24h: int
    max_days: int
    expected_effect: str
    cautions: str
    authorised_by: str
    authoriser_role: str
    authorised_on: date
    review_date: date
    active: bool
    version: int


class RemedyFilters(Filters):
    active: bool | None = None


class SelfIn(Schema):
    resident_id: Id
    medicine_id: Id
    level: str = Field(..., description="full, prompted, supervised")
    knows_purpose: bool = False
    knows_dose_and_times: bool = False
    can_open_packaging: bool = False
    will_report_problems: bool = False
    storage: str = Field("", max_length=200)
    lockable: bool = False
    agreed_by: str = Field("", max_length=200)
    assessed_on: date | None = None
    review_date: date | None = None


class SelfOut(Schema):
    id: int
    resident_id: int
    medicine_id: int
    level: str
    knows_purpose: bool
    knows_dose_and_times: bool
    can_open_packaging: bool
    will_report_problems: bool
    storage: str
    lockable: bool
    agreed_by: str
    assessed_on: date
    review_date: date
    withdrawn: bool


class SelfFilters(Filters):
    resident_id: int | None = None


class CovertIn(Schema):
    capacity_assessment_id: Id | None = None
    best_interest_decision_id: Id | None = None
    pharmacist_name: str = Field("", max_length=120)
    pharmacist_advised_on: date | None = None
    how_to_give: str = Field("", max_length=500)
    review_date: date | None = None


class CovertOut(Schema):
    id: int
    order_id: int
    resident_id: int
    capacity_assessment_id: int
    best_interest_decision_id: int
    pharmacist_name: str
    pharmacist_advised_on: date
    how_to_give: str
    review_date: date
    version: int


def _dec(v):
    return None if v is None else f"{v.normalize():f}"


def remedy_out(r: HomelyRemedy) -> dict:
    out = {f: getattr(r, f) for f in RemedyOut.model_fields if f not in ("medicine", "dose", "dose_max")}
    return {**out, "medicine": r.medicine.name, "dose": _dec(r.dose), "dose_max": _dec(r.dose_max)}


def self_out(a: SelfAdministrationAssessment) -> dict:
    out = {f: getattr(a, f) for f in SelfOut.model_fields if f != "withdrawn"}
    return {**out, "withdrawn": a.withdrawn_at is not None}


def _remedy(pk: int) -> HomelyRemedy:
    r = HomelyRemedy.objects.select_related("medicine").filter(pk=pk).first()
    if r is None:
        raise Http404(_("No such homely remedy."))
    return r


@router.get("/homely-remedies", response=list[RemedyOut], summary="The home's homely remedy list")
@paginated
@requires("medication", "view")
def list_remedies(request, filters: Query[RemedyFilters]):
    qs = HomelyRemedy.objects.select_related("medicine").order_by("medicine__name", "pk")
    if filters.active is not None:
        qs = qs.filter(active=filters.active)
    return Mapped(qs, remedy_out)


@router.post("/homely-remedies", response={201: RemedyOut}, summary="Add a homely remedy with its protocol")
@requires("medication", "manage")
@idempotent
def add_remedy(request, payload: RemedyIn, response: HttpResponse):
    data = payload.dict()
    r = svc.add_remedy(user=request.user, medicine_id=data.pop("medicine_id"), values=data)
    response["ETag"] = etag_for(r)
    return Status(201, remedy_out(_remedy(r.pk)))


@router.get("/homely-remedies/{int:remedy_id}", response=RemedyOut, summary="One homely remedy (and its ETag)")
@requires("medication", "view")
def get_remedy(request, remedy_id: int, response: HttpResponse):
    r = _remedy(remedy_id)
    response["ETag"] = etag_for(r)
    return remedy_out(r)


@router.patch(
    "/homely-remedies/{int:remedy_id}", response=RemedyOut, summary="Correct or review a protocol", **IF_MATCH
)
@requires("medication", "manage")
def change_remedy(request, remedy_id: int, payload: RemedyChangeIn, response: HttpResponse):
    if_match = if_match_header(request)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    reason = data.pop("reason")
    try:
        r = svc.change_remedy(remedy_id, user=request.user, values=data, reason=reason, if_match=if_match)
    except svc.NotFound:
        raise Http404(_("No such homely remedy.")) from None
    response["ETag"] = etag_for(r)
    return remedy_out(_remedy(r.pk))


@router.post(
    "/homely-remedies/{int:remedy_id}/authorise",
    response={201: dict},
    summary="Give a resident a homely remedy (a PRN order)",
)
@requires("medication", "manage")
@idempotent
def authorise_remedy(request, remedy_id: int, payload: AuthoriseIn, response: HttpResponse):
    from writecarenotes.medication.api_orders import order_detail

    try:
        order = svc.authorise_remedy(
            remedy_id, user=request.user, resident_id=payload.resident_id, acknowledgement=payload.acknowledgement
        )
    except svc.NotFound:
        raise Http404(_("No such homely remedy.")) from None
    response["Location"] = f"/api/v1/medication/orders/{order.pk}"
    return Status(201, order_detail(order.pk, response))


@router.get("/self-administration", response=list[SelfOut], summary="Self-administration risk assessments")
@paginated
@requires("medication", "view")
def list_self(request, filters: Query[SelfFilters]):
    qs = SelfAdministrationAssessment.objects.order_by("-assessed_on", "-pk")
    if filters.resident_id is not None:
        qs = qs.filter(resident_id=filters.resident_id)
    return Mapped(qs, self_out)


@router.post("/self-administration", response={201: SelfOut}, summary="Record a self-administration risk assessment")
@requires("medication", "manage")
@idempotent
def add_self(request, payload: SelfIn):
    data = payload.dict()
    resident_id, medicine_id = data.pop("resident_id"), data.pop("medicine_id")
    try:
        a = svc.record_self_assessment(user=request.user, resident_id=resident_id, medicine_id=medicine_id, values=data)
    except svc.NotFound:
        raise Http404(_("No such resident.")) from None
    return Status(201, self_out(a))


@router.post(
    "/orders/{int:order_id}/covert", response={201: CovertOut}, summary="Authorise covert administration of an order"
)
@requires("medication", "manage")
@idempotent
def authorise_covert(request, order_id: int, payload: CovertIn):
    try:
        a = svc.authorise_covert(order_id, user=request.user, values=payload.dict())
    except svc.NotFound:
        raise Http404(_("No such order.")) from None
    return Status(201, {f: getattr(a, f) for f in CovertOut.model_fields})


__all__ = ["CovertAuthorisation", "router"]
