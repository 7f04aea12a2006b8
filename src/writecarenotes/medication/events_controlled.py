"""Domain events of the controlled drugs register (the discrepancy event is in ``events_errors``)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["ControlledDrugEntryRecorded"]


@register_event
class ControlledDrugEntryRecorded(DomainEvent):
    """An entry in the controlled drugs register: received, administered, returned, destroyed, transferred,
    corrected or adjusted (``kind``)."""

    name: ClassVar[str] = "medication.cd_entry_recorded"
    version: ClassVar[int] = 1
    entry_id: int
    register_id: int
    drug: str
    kind: str
    quantity: str  # decimal, in the dose unit
    balance: str
    resident_id: int | None = None
    party: str = ""  # from whom received / to whom supplied
    occurred_at: datetime
    recorded_by_id: int
    witness_id: int | None = None
