"""Domain events of the Mental Capacity Act records and liberty authorisations (care planning)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "BestInterestDecisionRecorded",
    "CapacityAssessed",
    "LibertyAuthorisationChanged",
    "LibertyAuthorisationExpired",
    "LibertyAuthorisationExpiring",
]


@register_event
class CapacityAssessed(DomainEvent):
    """A decision-specific capacity assessment (``outcome``: has_capacity / lacks_capacity)."""

    name: ClassVar[str] = "capacity.assessed"
    version: ClassVar[int] = 1
    assessment_id: int
    resident_id: int
    outcome: str
    assessed_on: date
    replaces_id: int | None = None


@register_event
class BestInterestDecisionRecorded(DomainEvent):
    name: ClassVar[str] = "capacity.best_interest_decision_recorded"
    version: ClassVar[int] = 1
    decision_id: int
    resident_id: int
    capacity_assessment_id: int
    decided_on: date


@register_event
class LibertyAuthorisationChanged(DomainEvent):
    """A liberty record was recorded or moved on (``change``: recorded, granted, refused, extended, ended)."""

    name: ClassVar[str] = "dols.changed"
    version: ClassVar[int] = 1
    record_id: int
    resident_id: int
    framework: str
    kind: str
    change: str
    status: str
    end_on: date | None


@register_event
class LibertyAuthorisationExpiring(DomainEvent):
    """An authorisation in force ends within 28 days (published once per end date, by the daily job)."""

    name: ClassVar[str] = "dols.expiring"
    version: ClassVar[int] = 1
    record_id: int
    resident_id: int
    framework: str
    kind: str
    end_on: date
    days_left: int


@register_event
class LibertyAuthorisationExpired(DomainEvent):
    """An authorisation reached its end date without being renewed or ended (daily job)."""

    name: ClassVar[str] = "dols.expired"
    version: ClassVar[int] = 1
    record_id: int
    resident_id: int
    framework: str
    kind: str
    end_on: date
