"""Domain events of the duties sub-domain of incidents: candour, safeguarding, relatives and GP informed."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "DutyStepClosed",
    "DutyStepDone",
    "DutyStepsRequired",
    "PersonInformed",
    "SafeguardingOutcome",
    "SafeguardingReferred",
    "SafeguardingStarted",
]


@register_event
class DutyStepsRequired(DomainEvent):
    """The facts of an incident now require these steps (candour, safeguarding, informing)."""

    name: ClassVar[str] = "duties.steps_required"
    version: ClassVar[int] = 1
    incident_id: int
    reference: str
    kinds: list[str]  # DutyKind of the steps added
    keys: list[str]
    candour_statutory: bool | None = None  # None: no candour step added


@register_event
class DutyStepDone(DomainEvent):
    """A step was done (for a candour step: ``candour.step_done``)."""

    name: ClassVar[str] = "candour.step_done"
    version: ClassVar[int] = 1
    incident_id: int
    step_id: int
    kind: str
    key: str
    done_at: datetime
    addressed_as: str = ""


@register_event
class DutyStepClosed(DomainEvent):
    """A step was closed without being done: declined or impossible (with the reason), or no longer required."""

    name: ClassVar[str] = "duties.step_closed"
    version: ClassVar[int] = 1
    incident_id: int
    step_id: int
    kind: str
    key: str
    status: str  # "declined" or "not_required"
    reason: str


@register_event
class SafeguardingStarted(DomainEvent):
    name: ClassVar[str] = "safeguarding.started"
    version: ClassVar[int] = 1
    incident_id: int
    record_id: int
    nation: str


@register_event
class SafeguardingReferred(DomainEvent):
    """The allegation was referred to the local authority (or the nation's equivalent)."""

    name: ClassVar[str] = "safeguarding.referred"
    version: ClassVar[int] = 1
    incident_id: int
    record_id: int
    referred_at: datetime
    authority_name: str
    reference: str


@register_event
class SafeguardingOutcome(DomainEvent):
    name: ClassVar[str] = "safeguarding.outcome_recorded"
    version: ClassVar[int] = 1
    incident_id: int
    record_id: int
    outcome_at: datetime


@register_event
class PersonInformed(DomainEvent):
    """A relative, representative or GP was told about the incident."""

    name: ClassVar[str] = "incident.person_informed"
    version: ClassVar[int] = 1
    incident_id: int
    entry_id: int
    party: str
    informed_at: datetime
