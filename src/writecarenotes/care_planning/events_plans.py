"""Domain events of care plans, goals, interventions, carers' tasks and reviews (re-exported by
``care_planning.events``: other contexts import them from there).

``chart_settings`` are the daily-records chart settings a plan implies, named as care_records'
chart settings (``repositioning_interval_hours``, ``fluid_target_ml``, ``monitor_fluids``); an empty
dict when the plan sets none. care_records applies them (``subscribers_care_plans``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "CarePlanAgreed",
    "CarePlanArchived",
    "CarePlanChanged",
    "CarePlanProposed",
    "CarePlanReviewDue",
    "CarePlanReviewOverdue",
    "CarePlanReviewed",
    "CareTaskRecorded",
]

ChartSettings = dict[str, int | bool | None]


@register_event
class CarePlanProposed(DomainEvent):
    """A plan was proposed (``source``: "manual" by a nurse, "assessments" from assessment results)."""

    name: ClassVar[str] = "care_plan.proposed"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    source: str


@register_event
class CarePlanAgreed(DomainEvent):
    """A plan was agreed (first time, or again after a review): it is in force, its tasks are on the lists."""

    name: ClassVar[str] = "care_plan.agreed"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    next_review_on: date | None
    chart_settings: ChartSettings


@register_event
class CarePlanChanged(DomainEvent):
    """A plan in force changed (its text, a goal or an intervention), with the chart settings it now implies."""

    name: ClassVar[str] = "care_plan.changed"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    part: str
    chart_settings: ChartSettings


@register_event
class CarePlanArchived(DomainEvent):
    """A plan was archived; ``chart_settings`` are those it had set (care_records may undo them)."""

    name: ClassVar[str] = "care_plan.archived"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    reason: str
    chart_settings: ChartSettings


@register_event
class CarePlanReviewDue(DomainEvent):
    """A review of the plan was asked for now (a worse assessment band, an incident, a manual request)."""

    name: ClassVar[str] = "care_plan.review_due"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    due_on: date
    reason: str


@register_event
class CarePlanReviewOverdue(DomainEvent):
    """Published once per due date by the daily job when a plan's review is overdue."""

    name: ClassVar[str] = "care_plan.review_overdue"
    version: ClassVar[int] = 1
    plan_id: int
    resident_id: int
    domain: str
    due_on: date


@register_event
class CarePlanReviewed(DomainEvent):
    name: ClassVar[str] = "care_plan.reviewed"
    version: ClassVar[int] = 1
    review_id: int
    plan_id: int
    resident_id: int
    outcome: str
    next_review_on: date | None


@register_event
class CareTaskRecorded(DomainEvent):
    """A carer recorded a task of the plan as done, or not done with a reason."""

    name: ClassVar[str] = "care_plan.task_recorded"
    version: ClassVar[int] = 1
    completion_id: int
    intervention_id: int
    plan_id: int
    resident_id: int
    due_at: datetime
    outcome: str
    reason: str
