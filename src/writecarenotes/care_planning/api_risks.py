"""Risk register API (mounted with the care planning router at /api/v1/care_planning/).

  /risk-matrix                              GET the NPSA 5 x 5 matrix: descriptors, grades, source
  /residents/{id}/risks                     GET (paginated, ?status=&kind=) / POST raise a risk
  /risks/{id}                               GET with its versions (ETag) / PATCH change it (If-Match, reason)
  /risks/{id}/close                         POST {reason} (If-Match)
  /risks/overdue, /units/{id}/risks/overdue GET open risks whose review date has passed

Another home's resident, unit or risk: 404 before the body is read. Invalid input: 422 problem
with one error per field.
"""

import functools
from datetime import date, datetime
from typing import Annotated

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status

from writecarenotes.care_planning import risks_matrix
from writecarenotes.care_planning.models.risks import Risk
from writecarenotes.care_planning.services_risks import (
    RiskNotFound,
    change_risk,
    close_risk,
    overdue_reviews,
    raise_risk,
    risks_of,
)
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, exact, paginated
from writecarenotes.platform.api.problems import problem_for_status
from writecarenotes.platform.audit.models import RecordVersion
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import get_resident_or_404

router = Router(tags=["care planning: risks"])

IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "The ETag of the record as you last read it. Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}


# --- helpers ------------------------------------------------------------------------------------


resident_ref = get_resident_or_404  # a resident of the active scope, or a 404


def unit_or_404(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


def risk_or_404(risk_id: int) -> Risk:
    risk = Risk.objects.filter(pk=risk_id).select_related("owner").first()
    if risk is None:
        raise Http404(_("No such risk."))
    resident_ref(risk.resident_id)
    return risk


def read(ref, part: str) -> None:
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


def object_first_with(finders: dict):
    """A view decorator: find the path's objects BEFORE the body is parsed, so another home's object is a
    404 problem even when the body is invalid (``finders``: path parameter -> function raising Http404)."""

    def decorator(run):
        @functools.wraps(run)
        def wrapped(request, **kw):
            try:
                for name, finder in finders.items():
                    if name in kw:
                        finder(int(kw[name]))
            except (TypeError, ValueError, OverflowError):
                pass  # not a number: ninja answers 422 for the path parameter
            except Http404 as exc:
                return problem_for_status(request, 404, str(exc))
            return run(request, **kw)

        return wrapped

    return decorate_view(decorator)


object_first = object_first_with({"resident_id": resident_ref, "risk_id": risk_or_404, "unit_id": unit_or_404})


def versions_out(content_type: str, pk: int, home_id: int) -> list[dict]:
    rows = RecordVersion.objects.filter(content_type=content_type, object_id=str(pk), home_id=home_id).order_by(
        "version"
    )
    return [
        {
            "version": v.version,
            "at": v.at,
            "by": v.actor_email or v.system_reason,
            "reason": v.reason,
            "changed": list(v.changed),
        }
        for v in rows
    ]


# --- schemas ------------------------------------------------------------------------------------


class VersionOut(Schema):
    version: int
    at: datetime
    by: str
    reason: str
    changed: list[str]


class RiskOut(Schema):
    id: int
    resident_id: int
    kind: str
    title: str
    other_kind: str
    description: str
    likelihood: int
    likelihood_label: str
    impact: int
    impact_label: str
    score: int
    rating: str
    rating_label: str
    controls: str
    residual_likelihood: int
    residual_impact: int
    residual_score: int
    residual_rating: str
    residual_rating_label: str
    owner_id: int
    owner_name: str
    review_on: date
    review_overdue: bool
    status: str
    closed_on: date | None
    closed_reason: str
    raised_at: datetime
    raised_by_id: int
    version: int
    updated_at: datetime


class RiskDetailOut(RiskOut):
    versions: list[VersionOut]


def risk_out(r: Risk) -> dict:
    return {
        **{
            f: getattr(r, f)
            for f in (
                "id",
                "resident_id",
                "kind",
                "title",
                "other_kind",
                "description",
                "likelihood",
                "impact",
                "score",
                "rating",
                "controls",
                "residual_likelihood",
                "residual_impact",
                "residual_score",
                "residual_rating",
                "owner_id",
                "review_on",
                "status",
                "closed_on",
                "closed_reason",
                "raised_at",
                "raised_by_id",
                "version",
                "updated_at",
            )
        },
        "likelihood_label": str(risks_matrix.LIKELIHOOD[r.likelihood]),
        "impact_label": str(risks_matrix.IMPACT[r.impact]),
        "rating_label": str(r.grade.label),
        "residual_rating_label": str(r.residual_grade.label),
        "owner_name": r.owner.display_name,
        "review_overdue": r.review_overdue(),
    }


def risk_detail(r: Risk, response: HttpResponse) -> dict:
    response["ETag"] = etag_for(r)
    return {**risk_out(r), "versions": versions_out("care_planning.risk", r.pk, r.home_id)}


Axis = Annotated[int, Field(ge=1, le=5)]


class RiskIn(Schema):
    kind: str = Field(..., description="falls, pressure_damage, choking, malnutrition, dehydration, absconding, ...")
    other_kind: str = Field("", max_length=120, description="What the risk is, when kind is 'other'")
    description: str = Field(..., max_length=5000)
    likelihood: Axis = Field(..., description="1 rare, 2 unlikely, 3 possible, 4 likely, 5 almost certain")
    impact: Axis = Field(..., description="1 negligible, 2 minor, 3 moderate, 4 major, 5 catastrophic")
    controls: str = Field(..., max_length=5000)
    residual_likelihood: Axis
    residual_impact: Axis
    owner_id: int
    review_on: date


class RiskChangeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
    other_kind: str | None = Field(None, max_length=120)
    description: str | None = Field(None, max_length=5000)
    likelihood: Axis | None = None
    impact: Axis | None = None
    controls: str | None = Field(None, max_length=5000)
    residual_likelihood: Axis | None = None
    residual_impact: Axis | None = None
    owner_id: int | None = None
    review_on: date | None = None


class ReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)


class RiskFilters(Filters):
    status: Annotated[str | None, exact("status")] = None
    kind: Annotated[str | None, exact("kind")] = None


class GradeOut(Schema):
    key: str
    label: str
    low: int
    high: int
    rank: int


class MatrixOut(Schema):
    source: str
    likelihood: dict[int, str]
    impact: dict[int, str]
    grades: list[GradeOut]


class OverdueOut(Schema):
    risk: RiskOut
    resident_name: str
    room: str
    unit_id: int | None
    unit_name: str
    days_overdue: int


# --- operations ---------------------------------------------------------------------------------


@router.get("/risk-matrix", response=MatrixOut, summary="The NPSA 5 x 5 risk matrix the register scores with")
@requires("care_planning", "view")
def get_matrix(request):
    return {
        "source": str(risks_matrix.SOURCE),
        "likelihood": {k: str(v) for k, v in risks_matrix.LIKELIHOOD.items()},
        "impact": {k: str(v) for k, v in risks_matrix.IMPACT.items()},
        "grades": [
            {"key": g.key, "label": str(g.label), "low": g.low, "high": g.high, "rank": g.rank}
            for g in risks_matrix.GRADES
        ],
    }


@router.get("/residents/{resident_id}/risks", response=list[RiskOut], summary="A resident's risk register")
@paginated
@requires("care_planning", "view")
def list_risks(request, resident_id: int, filters: Query[RiskFilters]):
    ref = resident_ref(resident_id)
    read(ref, "risk register (API)")
    return Mapped(filters.filter(risks_of(ref.id)), risk_out)


@router.post("/residents/{resident_id}/risks", response={201: RiskDetailOut}, summary="Raise a risk")
@object_first
@requires("care_planning", "record")
@idempotent
def create_risk(request, resident_id: int, payload: RiskIn, response: HttpResponse):
    ref = resident_ref(resident_id)
    risk = raise_risk(ref.id, user=request.user, values=payload.dict())
    response["Location"] = f"/api/v1/care_planning/risks/{risk.pk}"
    return Status(201, risk_detail(risk, response))


@router.get("/risks/overdue", response=list[OverdueOut], summary="Open risks whose review is overdue (active home)")
@paginated
@requires("care_planning", "view")
def list_overdue(request):
    return [_overdue_out(item) for item in overdue_reviews(None)]


@router.get("/units/{unit_id}/risks/overdue", response=list[OverdueOut], summary="Overdue risk reviews of a unit")
@paginated
@requires("care_planning", "view")
def list_unit_overdue(request, unit_id: int):
    unit = unit_or_404(unit_id)
    return [_overdue_out(item) for item in overdue_reviews(unit.pk)]


def _overdue_out(item) -> dict:
    return {
        "risk": risk_out(item.risk),
        "resident_name": item.resident.display_name,
        "room": item.resident.room,
        "unit_id": item.resident.unit_id,
        "unit_name": item.resident.unit_name,
        "days_overdue": item.days_overdue,
    }


@router.get("/risks/{risk_id}", response=RiskDetailOut, summary="One risk with its versions (and its ETag)")
@requires("care_planning", "view")
def get_risk(request, risk_id: int, response: HttpResponse):
    risk = risk_or_404(risk_id)
    read(resident_ref(risk.resident_id), f"risk {risk.pk} (API)")
    return risk_detail(risk, response)


@router.patch(
    "/risks/{risk_id}", response=RiskDetailOut, summary="Change a risk: a new version with a reason", **IF_MATCH
)
@object_first
@requires("care_planning", "record")
def patch_risk(request, risk_id: int, payload: RiskChangeIn, response: HttpResponse):
    risk_or_404(risk_id)
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason")
    values = {k: v for k, v in values.items() if v is not None}
    try:
        risk = change_risk(risk_id, user=request.user, reason=reason, values=values, if_match=if_match)
    except RiskNotFound:
        raise Http404(_("No such risk.")) from None
    return risk_detail(Risk.objects.select_related("owner").get(pk=risk.pk), response)


@router.post("/risks/{risk_id}/close", response=RiskDetailOut, summary="Close a risk, with the reason", **IF_MATCH)
@object_first
@requires("care_planning", "record")
@idempotent
def post_close(request, risk_id: int, payload: ReasonIn, response: HttpResponse):
    risk_or_404(risk_id)
    if_match = if_match_header(request)
    try:
        risk = close_risk(risk_id, user=request.user, reason=payload.reason, if_match=if_match)
    except RiskNotFound:
        raise Http404(_("No such risk.")) from None
    return risk_detail(Risk.objects.select_related("owner").get(pk=risk.pk), response)
