"""Domain events of reporting: an incident reported, its facts corrected, closed.

Other contexts react to these (care planning reviews the plans of the residents affected;
assessments put Morse and Waterlow due after a fall; the family portal and notifications later).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["IncidentChanged", "IncidentClosed", "IncidentReported"]


@register_event
class IncidentReported(DomainEvent):
    """An incident was reported (by staff, or raised from another service's event)."""

    name: ClassVar[str] = "incident.reported"
    version: ClassVar[int] = 1
    incident_id: int
    reference: str
    kind: str  # IncidentType
    severity: str  # Severity
    occurred_at: datetime
    resident_ids: list[int]  # residents affected (role "affected")
    witnessed: bool | None = None
    head_struck: bool | None = None
    source: str = "reported"


@register_event
class IncidentChanged(DomainEvent):
    """The facts of an incident were corrected (a new version, with a reason)."""

    name: ClassVar[str] = "incident.changed"
    version: ClassVar[int] = 1
    incident_id: int
    reference: str
    kind: str
    severity: str
    resident_ids: list[int]
    changed: list[str]


@register_event
class IncidentClosed(DomainEvent):
    """Every required step was done and the manager closed the incident."""

    name: ClassVar[str] = "incident.closed"
    version: ClassVar[int] = 1
    incident_id: int
    reference: str
    kind: str
    severity: str
    resident_ids: list[int]
