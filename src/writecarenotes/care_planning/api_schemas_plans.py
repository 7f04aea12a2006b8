"""Schemas of the care plans API (``api_plans``) and the functions that fill them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from writecarenotes.care_planning.models.plans import CarePlan, Goal, Intervention, Review, TaskCompletion


class GoalProgressOut(Schema):
    id: int
    on: date
    note: str
    by_id: int
    recorded_at: datetime


class GoalOut(Schema):
    id: int
    plan_id: int
    text: str
    measure: str
    target_on: date
    status: str
    version: int
    progress: list[GoalProgressOut]


class InterventionOut(Schema):
    id: int
    plan_id: int
    what: str
    schedule_kind: str
    every_hours: int | None
    every_days: int | None
    times: list[str]
    chart: str
    fluid_target_ml: int | None
    repositioning_hours: int | None
    starts_on: date
    active: bool
    ended_at: datetime | None
    end_reason: str
    version: int


class PlanOut(Schema):
    id: int
    resident_id: int
    domain: str
    domain_label: str
    status: str
    in_my_words: str
    needs: str
    assessments: list[dict[str, Any]]
    proposal_reasons: list[dict[str, Any]]
    agreed_at: datetime | None
    agreed_by_id: int | None
    resident_involved: bool | None
    representative_name: str
    representative_relationship: str
    agreement_recorded: bool | None
    agreement_notes: str
    review_every_months: int
    next_review_on: date | None
    review_reason: str
    review_overdue: bool
    archived_at: datetime | None
    archive_reason: str
    created_at: datetime
    version: int


class PlanDetailOut(PlanOut):
    goals: list[GoalOut]
    interventions: list[InterventionOut]


def plan_out(plan: CarePlan) -> dict:
    return {
        **{f: getattr(plan, f) for f in PlanOut.model_fields if hasattr(plan, f) and f != "review_overdue"},
        "domain_label": str(plan.get_domain_display()),
        "review_overdue": plan.review_overdue(),
    }


def goal_out(goal: Goal) -> dict:
    return {
        **{f: getattr(goal, f) for f in GoalOut.model_fields if f != "progress"},
        "progress": [{f: getattr(p, f) for f in GoalProgressOut.model_fields} for p in goal.progress.all()],
    }


def intervention_out(item: Intervention) -> dict:
    return {f: getattr(item, f) for f in InterventionOut.model_fields}


def plan_detail(plan: CarePlan) -> dict:
    goals = list(plan.goals.prefetch_related("progress"))
    return {
        **plan_out(plan),
        "goals": [goal_out(g) for g in goals],
        "interventions": [intervention_out(i) for i in plan.interventions.all()],
    }


class GoalIn(Schema):
    text: str = Field(None, max_length=5000)
    measure: str = Field("", max_length=300)
    target_on: date | None = None


class InterventionIn(Schema):
    what: str = Field(None, max_length=5000)
    schedule_kind: str | None = Field(
        None, description="every_n_hours, times_of_day, each_shift, every_n_days, as_needed"
    )
    every_hours: int | None = None
    every_days: int | None = None
    times: list[str] = Field(default_factory=list, description='Local times "HH:MM"')
    chart: str = Field("", description="repositioning, food-fluid, continence, weight, vital-signs, ...")
    fluid_target_ml: int | None = None
    repositioning_hours: int | None = None


class PlanIn(Schema):
    domain: str | None = None
    in_my_words: str = Field("", max_length=5000)
    needs: str = Field("", max_length=5000)
    review_every_months: int = 1
    goals: list[GoalIn] = Field(default_factory=list, max_length=30)
    interventions: list[InterventionIn] = Field(default_factory=list, max_length=50)


class PlanPatch(Schema):
    reason: str = Field(None, max_length=300)
    in_my_words: str = Field(None, max_length=5000)
    needs: str = Field(None, max_length=5000)
    review_every_months: int = None


class InvolvementIn(Schema):
    resident_involved: bool | None = None
    representative_name: str = Field("", max_length=120)
    representative_relationship: str = Field("", max_length=80)
    agreement_recorded: bool | None = None
    agreement_notes: str = Field("", max_length=5000)


class ReasonIn(Schema):
    reason: str = Field(None, max_length=300)


class GoalPatch(Schema):
    reason: str = Field(None, max_length=300)
    text: str = Field(None, max_length=5000)
    measure: str = Field(None, max_length=300)
    target_on: date = None
    status: str = None


class ProgressIn(Schema):
    note: str = Field(None, max_length=5000)
    on: date | None = None
    status: str | None = None


class InterventionPatch(Schema):
    reason: str = Field(None, max_length=300)
    what: str = Field(None, max_length=5000)
    schedule_kind: str = None
    every_hours: int | None = None
    every_days: int | None = None
    times: list[str] = None
    chart: str = None
    fluid_target_ml: int | None = None
    repositioning_hours: int | None = None


class ProposalOut(Schema):
    created: list[PlanDetailOut]
    skipped: list[dict[str, str]]
    results_used: int


class TaskOut(Schema):
    resident_id: int
    resident_name: str
    room: str
    intervention_id: int
    plan_id: int
    domain: str
    what: str
    schedule_kind: str
    chart: str
    due_at: datetime | None
    window_start: datetime | None
    window_end: datetime | None
    state: str = Field(..., description="to_do, missed, done, not_done, on_chart, as_needed")
    recorded_at: datetime | None
    recorded_by_id: int | None
    reason: str
    note: str


def task_out(t) -> dict:
    c = t.completion
    return {
        "resident_id": t.resident.id,
        "resident_name": t.resident.display_name,
        "room": t.resident.room,
        "intervention_id": t.intervention.pk,
        "plan_id": t.intervention.plan_id,
        "domain": t.intervention.plan.domain,
        "what": t.intervention.what,
        "schedule_kind": t.intervention.schedule_kind,
        "chart": t.intervention.chart,
        "due_at": t.due_at,
        "window_start": t.slot.start if t.slot else None,
        "window_end": t.slot.end if t.slot else None,
        "state": t.state if t.slot else "as_needed",
        "recorded_at": c.done_at if c else t.chart_at,
        "recorded_by_id": c.by_id if c else None,
        "reason": c.reason if c else "",
        "note": c.note if c else "",
    }


class TaskIn(Schema):
    intervention_id: int | None = None
    due_at: datetime | None = Field(None, description="The due time of the task (empty for an as-needed one)")
    outcome: str | None = Field(None, description="done or not_done")
    reason: str = Field("", description="declined, asleep, away, unwell, not_needed, other")
    note: str = Field("", max_length=2000)


class TaskCompletionOut(Schema):
    id: int
    intervention_id: int
    resident_id: int
    due_at: datetime
    outcome: str
    done_at: datetime
    reason: str
    note: str
    by_id: int


def completion_out(c: TaskCompletion) -> dict:
    return {f: getattr(c, f) for f in TaskCompletionOut.model_fields}


class ReviewIn(InvolvementIn):
    summary: str = Field(None, max_length=5000)
    outcome: str | None = Field(None, description="continue, change or close")
    held_on: date | None = None


class ReviewOut(Schema):
    id: int
    plan_id: int
    due_on: date | None
    reason: str
    held_on: date
    by_id: int
    summary: str
    outcome: str
    resident_involved: bool | None
    representative_name: str
    representative_relationship: str
    agreement_recorded: bool | None
    agreement_notes: str
    period_start: datetime
    period_end: datetime
    records: dict[str, Any]
    records_text: str


def review_out(r: Review) -> dict:
    return {f: getattr(r, f) for f in ReviewOut.model_fields}


class ReviewPreviewOut(Schema):
    plan_id: int
    since: datetime
    until: datetime
    due_on: date | None
    reason: str
    records: dict[str, Any]
    assessments: list[dict[str, Any]]
    tasks: dict[str, Any]
    records_text: str


class DueReviewOut(Schema):
    plan_id: int
    resident_id: int
    resident_name: str
    domain: str
    domain_label: str
    status: str
    next_review_on: date
    review_reason: str
    overdue: bool
