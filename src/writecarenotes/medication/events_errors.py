"""A medication error reported (service 5 → incidents: it becomes a "medication error" incident)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["ControlledDrugDiscrepancy", "MedicationErrorReported"]


@register_event
class MedicationErrorReported(DomainEvent):
    """A medication error (wrong dose, wrong time, omission of a time-critical dose, ...) was reported."""

    name: ClassVar[str] = "medication.error_reported"
    version: ClassVar[int] = 1
    error_id: int
    resident_id: int | None
    kind: str  # ErrorKind
    description: str
    occurred_at: datetime
    harm: str  # incidents' Severity values: no_harm, low, moderate, severe, death
    reported_by_id: int


@register_event
class ControlledDrugDiscrepancy(DomainEvent):
    """A stock check of the controlled drugs register found a count different from the balance."""

    name: ClassVar[str] = "medication.cd_discrepancy"
    version: ClassVar[int] = 1
    check_id: int
    register_id: int
    drug: str  # "Morphine sulfate 10 mg/5 ml oral solution"
    expected: str  # decimal
    counted: str
    occurred_at: datetime
    reported_by_id: int
