"""Mental Capacity Act API (mounted with the care planning router at /api/v1/care_planning/).

  /residents/{id}/frameworks                 GET the framework of the resident's home and its kinds
  /residents/{id}/capacity-assessments       GET (paginated) / POST a decision-specific assessment
  /capacity-assessments/{id}                 GET; .../correct POST {reason, ...}: strike through and replace
  /residents/{id}/best-interest-decisions    GET (paginated) / POST
  /best-interest-decisions/{id}              GET
  /residents/{id}/liberty                    GET (paginated) / POST an application, authorisation or arrangement
  /liberty/{id}                              GET with versions (ETag)
  /liberty/{id}/grant|refuse|extend|end|conditions   POST (If-Match)
  /liberty/expiring                          GET authorisations ending within 28 days, and expired ones

Another home's resident or record: 404 before the body is read; refusals are 422 problems by field.
"""

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from writecarenotes.care_planning import api_capacity_schemas as s
from writecarenotes.care_planning.api_risks import IF_MATCH, object_first_with, read, resident_ref, versions_out
from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment, LibertyRecord
from writecarenotes.care_planning.services_capacity import (
    CapacityRecordNotFound,
    assessments_of,
    correct_capacity_assessment,
    decisions_of,
    record_best_interest_decision,
    record_capacity_assessment,
)
from writecarenotes.care_planning.services_capacity_liberty import (
    LibertyRecordNotFound,
    change_conditions,
    end_liberty,
    expiry_list,
    extend_liberty,
    framework_of_home,
    grant_liberty,
    record_liberty,
    records_of,
    refuse_liberty,
)
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Mapped, paginated
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import CareHome

router = Router(tags=["care planning: mental capacity"])


def _found(qs, pk: int, message: str):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404(message)
    resident_ref(obj.resident_id)
    return obj


def assessment_or_404(pk: int) -> CapacityAssessment:
    return _found(CapacityAssessment.objects.select_related("assessor"), pk, _("No such capacity assessment."))


def decision_or_404(pk: int) -> BestInterestDecision:
    return _found(BestInterestDecision.objects.all(), pk, _("No such best-interest decision."))


def liberty_or_404(pk: int) -> LibertyRecord:
    return _found(LibertyRecord.objects.all(), pk, _("No such authorisation."))


object_first = object_first_with(
    {
        "resident_id": resident_ref,
        "assessment_id": assessment_or_404,
        "decision_id": decision_or_404,
        "record_id": liberty_or_404,
    }
)


# --- framework ----------------------------------------------------------------------------------


@router.get("/residents/{resident_id}/frameworks", response=s.FrameworkOut, summary="The home's capacity framework")
@requires("care_planning", "view")
def get_framework(request, resident_id: int):
    ref = resident_ref(resident_id)
    nation = CareHome.objects.values_list("nation", flat=True).get(pk=ref.home_id)
    return s.framework_out(nation, framework_of_home(ref.home_id))


# --- capacity assessments -----------------------------------------------------------------------


@router.get(
    "/residents/{resident_id}/capacity-assessments", response=list[s.AssessmentOut], summary="Capacity assessments"
)
@paginated
@requires("care_planning", "view")
def list_assessments(request, resident_id: int):
    ref = resident_ref(resident_id)
    read(ref, "capacity assessments (API)")
    return Mapped(assessments_of(ref.id), s.assessment_out)


@router.post(
    "/residents/{resident_id}/capacity-assessments",
    response={201: s.AssessmentOut},
    summary="Record a decision-specific capacity assessment (two-stage test)",
)
@object_first
@requires("care_planning", "record")
@idempotent
def create_assessment(request, resident_id: int, payload: s.AssessmentIn, response: HttpResponse):
    ref = resident_ref(resident_id)
    a = record_capacity_assessment(ref.id, user=request.user, values=payload.dict())
    response["Location"] = f"/api/v1/care_planning/capacity-assessments/{a.pk}"
    return Status(201, s.assessment_out(a))


@router.get("/capacity-assessments/{assessment_id}", response=s.AssessmentOut, summary="One capacity assessment")
@requires("care_planning", "view")
def get_assessment(request, assessment_id: int):
    a = assessment_or_404(assessment_id)
    read(resident_ref(a.resident_id), f"capacity assessment {a.pk} (API)")
    return s.assessment_out(a)


@router.post(
    "/capacity-assessments/{assessment_id}/correct",
    response={201: s.AssessmentOut},
    summary="Strike an assessment through and record its correction (with a reason)",
)
@object_first
@requires("care_planning", "record")
@idempotent
def correct_assessment(request, assessment_id: int, payload: s.AssessmentCorrectionIn, response: HttpResponse):
    values = payload.dict()
    reason = values.pop("reason")
    try:
        a = correct_capacity_assessment(assessment_id, user=request.user, reason=reason, values=values)
    except CapacityRecordNotFound:
        raise Http404(_("No such capacity assessment.")) from None
    response["Location"] = f"/api/v1/care_planning/capacity-assessments/{a.pk}"
    return Status(201, s.assessment_out(a))


# --- best-interest decisions --------------------------------------------------------------------


@router.get(
    "/residents/{resident_id}/best-interest-decisions", response=list[s.DecisionOut], summary="Best-interest decisions"
)
@paginated
@requires("care_planning", "view")
def list_decisions(request, resident_id: int):
    ref = resident_ref(resident_id)
    read(ref, "best-interest decisions (API)")
    return Mapped(decisions_of(ref.id), s.decision_out)


@router.post(
    "/residents/{resident_id}/best-interest-decisions",
    response={201: s.DecisionOut},
    summary="Record a best-interest decision (who was consulted, the least restrictive option)",
)
@object_first
@requires("care_planning", "record")
@idempotent
def create_decision(request, resident_id: int, payload: s.DecisionIn, response: HttpResponse):
    ref = resident_ref(resident_id)
    d = record_best_interest_decision(ref.id, user=request.user, values=payload.dict())
    response["Location"] = f"/api/v1/care_planning/best-interest-decisions/{d.pk}"
    return Status(201, s.decision_out(d))


@router.get("/best-interest-decisions/{decision_id}", response=s.DecisionOut, summary="One best-interest decision")
@requires("care_planning", "view")
def get_decision(request, decision_id: int):
    d = decision_or_404(decision_id)
    read(resident_ref(d.resident_id), f"best-interest decision {d.pk} (API)")
    return s.decision_out(d)


# --- liberty records ----------------------------------------------------------------------------


def _detail(r: LibertyRecord, response: HttpResponse) -> dict:
    response["ETag"] = etag_for(r)
    return {**s.liberty_out(r), "versions": versions_out("care_planning.libertyrecord", r.pk, r.home_id)}


@router.get("/liberty/expiring", response=list[s.ExpiryOut], summary="Authorisations ending within 28 days, or expired")
@paginated
@requires("care_planning", "view")
def list_expiring(request):
    lists = expiry_list()
    out = []
    for state in ("expired", "expiring"):
        for item in lists[state]:
            out.append(
                {
                    "state": state,
                    "record": s.liberty_out(item.record),
                    "resident_name": item.resident.display_name,
                    "room": item.resident.room,
                    "unit_name": item.resident.unit_name,
                    "home_id": item.record.home_id,
                    "days_left": item.days_left,
                    "renewal_under_way": item.renewal_under_way,
                }
            )
    return out


@router.get("/residents/{resident_id}/liberty", response=list[s.LibertyOut], summary="A resident's liberty records")
@paginated
@requires("care_planning", "view")
def list_liberty(request, resident_id: int):
    ref = resident_ref(resident_id)
    read(ref, "liberty authorisations (API)")
    return Mapped(records_of(ref.id), s.liberty_out)


@router.post(
    "/residents/{resident_id}/liberty",
    response={201: s.LibertyDetailOut},
    summary="Record an application, an authorisation or a decision support arrangement (the home's framework)",
)
@object_first
@requires("care_planning", "manage")
@idempotent
def create_liberty(request, resident_id: int, payload: s.LibertyIn, response: HttpResponse):
    ref = resident_ref(resident_id)
    r = record_liberty(ref.id, user=request.user, values=payload.dict())
    response["Location"] = f"/api/v1/care_planning/liberty/{r.pk}"
    return Status(201, _detail(r, response))


@router.get("/liberty/{record_id}", response=s.LibertyDetailOut, summary="One liberty record with its versions")
@requires("care_planning", "view")
def get_liberty(request, record_id: int, response: HttpResponse):
    r = liberty_or_404(record_id)
    read(resident_ref(r.resident_id), f"liberty authorisation {r.pk} (API)")
    return _detail(r, response)


def _change(request, record_id: int, response: HttpResponse, service, **kw) -> dict:
    if_match = if_match_header(request)
    try:
        r = service(record_id, user=request.user, if_match=if_match, **kw)
    except LibertyRecordNotFound:
        raise Http404(_("No such authorisation.")) from None
    return _detail(r, response)


@router.post(
    "/liberty/{record_id}/grant", response=s.LibertyDetailOut, summary="Granted: dates and conditions", **IF_MATCH
)
@object_first
@requires("care_planning", "manage")
@idempotent
def post_grant(request, record_id: int, payload: s.GrantIn, response: HttpResponse):
    return _change(request, record_id, response, grant_liberty, **payload.dict())


@router.post("/liberty/{record_id}/refuse", response=s.LibertyDetailOut, summary="Refused, with the reason", **IF_MATCH)
@object_first
@requires("care_planning", "manage")
@idempotent
def post_refuse(request, record_id: int, payload: s.RefuseIn, response: HttpResponse):
    return _change(request, record_id, response, refuse_liberty, **payload.dict())


@router.post(
    "/liberty/{record_id}/extend", response=s.LibertyDetailOut, summary="Extend (urgent DoLS: once, 7 days)", **IF_MATCH
)
@object_first
@requires("care_planning", "manage")
@idempotent
def post_extend(request, record_id: int, payload: s.ExtendIn, response: HttpResponse):
    return _change(request, record_id, response, extend_liberty, **payload.dict())


@router.post(
    "/liberty/{record_id}/end", response=s.LibertyDetailOut, summary="Ended early, with the reason", **IF_MATCH
)
@object_first
@requires("care_planning", "manage")
@idempotent
def post_end(request, record_id: int, payload: s.EndIn, response: HttpResponse):
    return _change(request, record_id, response, end_liberty, **payload.dict())


@router.post(
    "/liberty/{record_id}/conditions", response=s.LibertyDetailOut, summary="The conditions were varied", **IF_MATCH
)
@object_first
@requires("care_planning", "manage")
@idempotent
def post_conditions(request, record_id: int, payload: s.ConditionsIn, response: HttpResponse):
    return _change(request, record_id, response, change_conditions, **payload.dict())
