"""Domain events of medicines stock and the fridge temperature log."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["FridgeOutOfRange", "StockCountNeeded", "StockReceived", "StockReorderDue"]


@register_event
class StockReceived(DomainEvent):
    """Medicines received from the pharmacy (or counted and carried forward at a cycle start)."""

    name: ClassVar[str] = "medication.stock_received"
    version: ClassVar[int] = 1
    item_id: int
    medicine: str
    resident_id: int | None
    quantity: str
    balance: str
    carried_forward: bool = False
    cycle_start: date | None = None
    occurred_at: datetime


@register_event
class StockCountNeeded(DomainEvent):
    """A dose was given with too little stock recorded: the item needs a count (the dose was not blocked)."""

    name: ClassVar[str] = "medication.stock_count_needed"
    version: ClassVar[int] = 1
    item_id: int
    medicine: str
    resident_id: int | None
    balance: str
    reason: str


@register_event
class FridgeOutOfRange(DomainEvent):
    """A fridge reading outside +2 to +8 °C (Green Book chapter 3), with the action taken."""

    name: ClassVar[str] = "medication.fridge_out_of_range"
    version: ClassVar[int] = 1
    fridge_id: int
    fridge: str
    reading_id: int
    current_c: str
    min_c: str
    max_c: str
    action_taken: str
    read_at: datetime
    recorded_by_id: int


@register_event
class StockReorderDue(DomainEvent):
    """The home's ordering date for the next cycle is today: these items run out before it starts."""

    name: ClassVar[str] = "medication.stock_reorder_due"
    version: ClassVar[int] = 1
    next_cycle_start: date
    ordering_date: date
    item_ids: list[int]
