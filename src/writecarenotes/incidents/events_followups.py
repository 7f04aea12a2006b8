"""Domain events of the followups sub-domain of incidents (post-fall checks)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["FollowUpClosed", "FollowUpDone", "FollowUpsDue"]


@register_event
class FollowUpsDue(DomainEvent):
    """Follow-up tasks were set for the nurse (a fall reported, or the head now known to be struck)."""

    name: ClassVar[str] = "followup.due"
    version: ClassVar[int] = 1
    incident_id: int
    resident_id: int
    protocols: list[str]
    task_ids: list[int]
    first_due_at: datetime


@register_event
class FollowUpDone(DomainEvent):
    name: ClassVar[str] = "followup.done"
    version: ClassVar[int] = 1
    incident_id: int
    resident_id: int
    task_id: int
    key: str
    done_at: datetime
    escalated: bool


@register_event
class FollowUpClosed(DomainEvent):
    """Tasks no longer required after a correction of the facts (with the reason)."""

    name: ClassVar[str] = "followup.not_required"
    version: ClassVar[int] = 1
    incident_id: int
    task_ids: list[int]
    reason: str
