"""Domain events of the notifications sub-domain of incidents.

A notification about a resident rather than an incident (a DoLS outcome) has ``incident_id`` None and
``resident_id`` set; an incident's notification has ``incident_id`` (and ``resident_id`` None)."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "NotificationNoLongerRequired",
    "NotificationPrepared",
    "NotificationRequired",
    "NotificationSubmitted",
    "PeriodicReturnDue",
    "PeriodicReturnSubmitted",
]


@register_event
class NotificationRequired(DomainEvent):
    """The facts of an incident require a statutory notification to the regulator."""

    name: ClassVar[str] = "notification.required"
    version: ClassVar[int] = 1
    notification_id: int
    incident_id: int | None
    code: str
    regulator: str
    due_at: datetime
    resident_id: int | None = None


@register_event
class NotificationNoLongerRequired(DomainEvent):
    name: ClassVar[str] = "notification.not_required"
    version: ClassVar[int] = 1
    notification_id: int
    incident_id: int | None
    code: str
    reason: str


@register_event
class NotificationPrepared(DomainEvent):
    name: ClassVar[str] = "notification.prepared"
    version: ClassVar[int] = 1
    notification_id: int
    incident_id: int | None
    code: str


@register_event
class NotificationSubmitted(DomainEvent):
    name: ClassVar[str] = "notification.submitted"
    version: ClassVar[int] = 1
    notification_id: int
    incident_id: int | None
    code: str
    regulator: str
    submitted_at: datetime
    late: bool


@register_event
class PeriodicReturnDue(DomainEvent):
    name: ClassVar[str] = "notification.return_due"
    version: ClassVar[int] = 1
    return_id: int
    kind: str
    period_start: date
    period_end: date
    due_on: date


@register_event
class PeriodicReturnSubmitted(DomainEvent):
    name: ClassVar[str] = "notification.return_submitted"
    version: ClassVar[int] = 1
    return_id: int
    kind: str
    submitted_on: date
