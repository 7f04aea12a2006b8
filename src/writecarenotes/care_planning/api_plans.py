"""Care plans API (added to /api/v1/care_planning/):

  /residents/{id}/plans                  GET (paginated, ?status=) / POST a proposed plan (with goals, interventions)
  /residents/{id}/plans/propose          POST: proposed plans from the latest assessment results
  /plans/{id}                            GET with goals and interventions (ETag) / PATCH (reason, If-Match)
  /plans/{id}/agree, /plans/{id}/archive POST (If-Match checked when sent)
  /plans/{id}/goals, /goals/{id}, /goals/{id}/progress             POST / PATCH (If-Match) / POST
  /plans/{id}/interventions, /interventions/{id}, .../end          POST / PATCH (If-Match) / POST
  /units/{id}/tasks                      GET the unit's tasks of the current shift (?at= another time)
  /tasks                                 POST a task done, or not done with a reason (carers: care_records:record)
  /plans/{id}/review                     GET what the records say since the last review
  /plans/{id}/reviews                    GET (paginated) / POST hold a review
  /reviews/due                           GET plans whose review is due within ?within_days= (default 7)

Writing a plan needs care_planning:record; agreeing, archiving and reviewing need care_planning:manage.
Another home's resident, plan, goal, intervention or unit: 404 before the body is read. Bad input: 422.
"""

import functools
from datetime import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.decorators import decorate_view
from ninja.responses import Status

from writecarenotes.care_planning import api_schemas_plans as s
from writecarenotes.care_planning import services_plans as plans
from writecarenotes.care_planning.models.plans import CarePlan, Goal, Intervention
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.care_planning.services_reviews import due_reviews, hold_review, records_text, review_context
from writecarenotes.care_planning.services_tasks import record_task, tasks_for_unit
from writecarenotes.care_records.public import shift_bounds
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.api.problems import problem_for_status
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import get_resident_or_404

plans_router = Router(tags=["care plans"])

_IF_MATCH = {
    "openapi_extra": {
        "parameters": [
            {
                "in": "header",
                "name": "If-Match",
                "required": True,
                "description": "The ETag as you last read it. Missing: 428. Stale: 412.",
                "schema": {"type": "string"},
            }
        ]
    }
}


# --- lookups (scoped: another home's object is not found) ----------------------------------------


_ref = get_resident_or_404  # a resident of the active scope, or a 404


def _plan(plan_id: int) -> CarePlan:
    plan = CarePlan.objects.filter(pk=plan_id).first()
    if plan is None:
        raise Http404(_("No such care plan."))
    return plan


def _goal(goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=goal_id).select_related("plan").first()
    if goal is None:
        raise Http404(_("No such goal."))
    return goal


def _intervention(intervention_id: int) -> Intervention:
    item = Intervention.objects.filter(pk=intervention_id).select_related("plan").first()
    if item is None:
        raise Http404(_("No such intervention."))
    return item


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


_FINDERS = {"resident_id": _ref, "plan_id": _plan, "goal_id": _goal, "intervention_id": _intervention, "unit_id": _unit}


def _object_first(run):
    """Find the path's objects BEFORE the body is parsed: another home's object is a 404 problem even
    when the body is invalid (the permission check runs before this)."""

    @functools.wraps(run)
    def wrapped(request, **kw):
        try:
            for name, find in _FINDERS.items():
                if name in kw:
                    find(int(kw[name]))
        except (TypeError, ValueError):
            pass  # not a number: ninja answers 422 for the path parameter
        except Http404 as exc:
            return problem_for_status(request, 404, str(exc))
        return run(request, **kw)

    return wrapped


object_first = decorate_view(_object_first)


def _read(resident_id: int, part: str) -> None:
    ref = _ref(resident_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)


def _detail(plan: CarePlan, response: HttpResponse, status: int = 200):
    plan = _plan(plan.pk)
    response["ETag"] = etag_for(plan)
    body = s.plan_detail(plan)
    return Status(status, body) if status != 200 else body


# --- plans ----------------------------------------------------------------------------------------


@plans_router.get("/residents/{resident_id}/plans", response=list[s.PlanOut], summary="A resident's care plans")
@paginated
@requires("care_planning", "view")
def list_plans(request, resident_id: int, status: str = ""):
    ref = _ref(resident_id)
    _read(ref.id, "care plans (API)")
    qs = CarePlan.objects.filter(resident_id=ref.id).order_by("domain", "-created_at")
    if status:
        qs = qs.filter(status=status)
    return [s.plan_out(p) for p in qs[:500]]


@plans_router.post(
    "/residents/{resident_id}/plans", response={201: s.PlanDetailOut}, summary="Propose a care plan for one need"
)
@object_first
@requires("care_planning", "record")
@idempotent
def create_plan(request, resident_id: int, payload: s.PlanIn, response: HttpResponse):
    ref = _ref(resident_id)
    plan = plans.create_plan(
        resident_id=ref.id,
        domain=payload.domain or "",
        user=request.user,
        in_my_words=payload.in_my_words,
        needs=payload.needs,
        review_every_months=payload.review_every_months,
        goals=[g.dict() for g in payload.goals],
        interventions=[i.dict() for i in payload.interventions],
    )
    response["Location"] = f"/api/v1/care_planning/plans/{plan.pk}"
    return _detail(plan, response, 201)


@plans_router.post(
    "/residents/{resident_id}/plans/propose",
    response={201: s.ProposalOut},
    summary="Propose care plans from the latest assessment results",
)
@object_first
@requires("care_planning", "record")
@idempotent
def propose(request, resident_id: int):
    ref = _ref(resident_id)
    outcome = propose_from_assessments(ref.id, user=request.user)
    return Status(
        201,
        {
            "created": [s.plan_detail(p) for p in outcome.created],
            "skipped": [{"domain": d, "why": str(why)} for d, why in outcome.skipped],
            "results_used": outcome.results_used,
        },
    )


@plans_router.get("/plans/{plan_id}", response=s.PlanDetailOut, summary="One care plan with its ETag")
@requires("care_planning", "view")
def get_plan(request, plan_id: int, response: HttpResponse):
    plan = _plan(plan_id)
    _read(plan.resident_id, f"care plan {plan.pk} (API)")
    return _detail(plan, response)


@plans_router.patch("/plans/{plan_id}", response=s.PlanDetailOut, summary="Change a care plan (reason)", **_IF_MATCH)
@object_first
@requires("care_planning", "record")
def update_plan(request, plan_id: int, payload: s.PlanPatch, response: HttpResponse):
    plan = _plan(plan_id)
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason", "") or ""
    plan = plans.update_plan(plan, values=values, reason=reason, if_match=if_match)
    return _detail(plan, response)


@plans_router.post("/plans/{plan_id}/agree", response=s.PlanDetailOut, summary="Agree a care plan (involvement)")
@object_first
@requires("care_planning", "manage")
@idempotent
def agree(request, plan_id: int, payload: s.InvolvementIn, response: HttpResponse):
    plan = plans.agree_plan(
        _plan(plan_id), user=request.user, if_match=if_match_header(request, required=False), **payload.dict()
    )
    return _detail(plan, response)


@plans_router.post("/plans/{plan_id}/archive", response=s.PlanDetailOut, summary="Archive a care plan (reason)")
@object_first
@requires("care_planning", "manage")
@idempotent
def archive(request, plan_id: int, payload: s.ReasonIn, response: HttpResponse):
    plan = plans.archive_plan(
        _plan(plan_id), reason=payload.reason or "", if_match=if_match_header(request, required=False)
    )
    return _detail(plan, response)


# --- goals and interventions ----------------------------------------------------------------------


@plans_router.post("/plans/{plan_id}/goals", response={201: s.GoalOut}, summary="Add a goal")
@object_first
@requires("care_planning", "record")
@idempotent
def add_goal(request, plan_id: int, payload: s.GoalIn, response: HttpResponse):
    goal = plans.add_goal(_plan(plan_id), text=payload.text or "", measure=payload.measure, target_on=payload.target_on)
    response["ETag"] = etag_for(goal)
    return Status(201, s.goal_out(goal))


@plans_router.patch("/goals/{goal_id}", response=s.GoalOut, summary="Change a goal (reason)", **_IF_MATCH)
@object_first
@requires("care_planning", "record")
def update_goal(request, goal_id: int, payload: s.GoalPatch, response: HttpResponse):
    goal = _goal(goal_id)
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason", "") or ""
    goal = plans.update_goal(goal, values=values, reason=reason, if_match=if_match)
    response["ETag"] = etag_for(goal)
    return s.goal_out(goal)


@plans_router.post("/goals/{goal_id}/progress", response={201: s.GoalOut}, summary="Record progress on a goal")
@object_first
@requires("care_planning", "record")
@idempotent
def add_progress(request, goal_id: int, payload: s.ProgressIn, response: HttpResponse):
    goal = _goal(goal_id)
    plans.add_goal_progress(goal, note=payload.note or "", user=request.user, on=payload.on, status=payload.status)
    goal = _goal(goal_id)
    response["ETag"] = etag_for(goal)
    return Status(201, s.goal_out(goal))


@plans_router.post(
    "/plans/{plan_id}/interventions", response={201: s.InterventionOut}, summary="Add an intervention (a task)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def add_intervention(request, plan_id: int, payload: s.InterventionIn, response: HttpResponse):
    item = plans.add_intervention(_plan(plan_id), **payload.dict())
    response["ETag"] = etag_for(item)
    return Status(201, s.intervention_out(item))


@plans_router.patch(
    "/interventions/{intervention_id}", response=s.InterventionOut, summary="Change an intervention", **_IF_MATCH
)
@object_first
@requires("care_planning", "record")
def update_intervention(request, intervention_id: int, payload: s.InterventionPatch, response: HttpResponse):
    item = _intervention(intervention_id)
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason", "") or ""
    item = plans.update_intervention(item, values=values, reason=reason, if_match=if_match)
    response["ETag"] = etag_for(item)
    return s.intervention_out(item)


@plans_router.post(
    "/interventions/{intervention_id}/end", response=s.InterventionOut, summary="Stop an intervention (reason)"
)
@object_first
@requires("care_planning", "record")
@idempotent
def end_intervention(request, intervention_id: int, payload: s.ReasonIn, response: HttpResponse):
    item = plans.end_intervention(
        _intervention(intervention_id), reason=payload.reason or "", if_match=if_match_header(request, required=False)
    )
    response["ETag"] = etag_for(item)
    return s.intervention_out(item)


# --- tasks ----------------------------------------------------------------------------------------


@plans_router.get("/units/{unit_id}/tasks", response=list[s.TaskOut], summary="The unit's tasks of the shift")
@paginated
@requires("care_planning", "view")
def unit_tasks(request, unit_id: int, at: datetime | None = None):
    unit = _unit(unit_id)
    now = timezone.now()
    shift = shift_bounds(at) if at is not None else None
    tl = tasks_for_unit(unit.pk, now=now, shift=shift)
    out = []
    for rt in tl.residents:
        out.extend(s.task_out(t) for t in rt.tasks)
        out.extend(s.task_out(t) for t in rt.as_needed)
    return out


@plans_router.post("/tasks", response={201: s.TaskCompletionOut}, summary="Record a task done or not done")
@requires("care_records", "record")
@idempotent
def complete_task(request, payload: s.TaskIn, response: HttpResponse):
    completion = record_task(
        intervention_id=payload.intervention_id,
        due_at=payload.due_at,
        outcome=payload.outcome or "",
        reason=payload.reason,
        note=payload.note,
        user=request.user,
    )
    return Status(201, s.completion_out(completion))


# --- reviews --------------------------------------------------------------------------------------


@plans_router.get(
    "/plans/{plan_id}/review", response=s.ReviewPreviewOut, summary="What the records say since the last review"
)
@requires("care_planning", "view")
def review_preview(request, plan_id: int):
    plan = _plan(plan_id)
    _read(plan.resident_id, f"care plan {plan.pk} review (API)")
    ctx = review_context(plan)
    return {
        "plan_id": plan.pk,
        "since": ctx["since"],
        "until": ctx["until"],
        "due_on": ctx["due_on"],
        "reason": ctx["reason"],
        "records": ctx["records"],
        "assessments": ctx["assessments"],
        "tasks": ctx["tasks"],
        "records_text": records_text(ctx),
    }


@plans_router.get("/plans/{plan_id}/reviews", response=list[s.ReviewOut], summary="The plan's reviews, newest first")
@paginated
@requires("care_planning", "view")
def list_reviews(request, plan_id: int):
    plan = _plan(plan_id)
    _read(plan.resident_id, f"care plan {plan.pk} reviews (API)")
    return [s.review_out(r) for r in plan.reviews.order_by("-held_on", "-pk")[:500]]


@plans_router.post("/plans/{plan_id}/reviews", response={201: s.ReviewOut}, summary="Hold a review of the plan")
@object_first
@requires("care_planning", "manage")
@idempotent
def create_review(request, plan_id: int, payload: s.ReviewIn, response: HttpResponse):
    data = payload.dict()
    review = hold_review(
        _plan(plan_id),
        user=request.user,
        summary=data.pop("summary") or "",
        outcome=data.pop("outcome") or "",
        held_on=data.pop("held_on"),
        **data,
    )
    return Status(201, s.review_out(review))


@plans_router.get("/reviews/due", response=list[s.DueReviewOut], summary="Care plan reviews due (overdue first)")
@paginated
@requires("care_planning", "view")
def reviews_due(request, within_days: int = 7):
    today = timezone.localdate()
    return [
        {
            "plan_id": p.pk,
            "resident_id": ref.id,
            "resident_name": ref.display_name,
            "domain": p.domain,
            "domain_label": str(p.get_domain_display()),
            "status": p.status,
            "next_review_on": p.next_review_on,
            "review_reason": p.review_reason,
            "overdue": p.next_review_on < today,
        }
        for p, ref in due_reviews(None, today=today, within_days=max(0, min(within_days, 366)))
    ]
