"""Domain events of the investigation sub-domain of incidents: an investigation opened and completed,
an action done, a lesson shared with staff."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["ActionDone", "InvestigationCompleted", "InvestigationOpened", "LessonShared"]


@register_event
class InvestigationOpened(DomainEvent):
    """An incident is to be investigated (by the home's policy, or by a manager's decision)."""

    name: ClassVar[str] = "investigation.opened"
    version: ClassVar[int] = 1
    investigation_id: int
    incident_id: int
    reference: str
    opened_because: str  # "policy" or "manager"
    reason: str
    due_on: date
    investigator_id: int | None = None


@register_event
class InvestigationCompleted(DomainEvent):
    name: ClassVar[str] = "investigation.completed"
    version: ClassVar[int] = 1
    investigation_id: int
    incident_id: int
    reference: str
    factor_categories: list[str]  # contributory factor categories found (NPSA framework keys)
    open_actions: int


@register_event
class ActionDone(DomainEvent):
    name: ClassVar[str] = "action.done"
    version: ClassVar[int] = 1
    action_id: int
    investigation_id: int
    incident_id: int
    done_on: date
    owner_id: int


@register_event
class LessonShared(DomainEvent):
    """A lesson learned was shared with the staff of the home (all staff, or the roles named)."""

    name: ClassVar[str] = "lesson.shared"
    version: ClassVar[int] = 1
    lesson_id: int
    incident_id: int
    title: str
    audience: str
    roles: list[str]
