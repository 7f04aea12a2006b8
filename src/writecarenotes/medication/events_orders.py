"""Domain events of prescriptions and the medicines record (orders, reconciliation, homely remedies,
self and covert administration). Published by ``services_orders`` / ``services_reconciliation`` /
``services_special`` in the changing transaction (outbox)."""

from __future__ import annotations

from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "CovertAdministrationAuthorised",
    "OrderChanged",
    "OrderResumed",
    "OrderStarted",
    "OrderStopped",
    "OrderSuspended",
    "ReconciliationCompleted",
]


class _Order(DomainEvent):
    order_id: int
    resident_id: int
    medicine: str


@register_event
class OrderStarted(_Order):
    """A medication order was started (``source``: gp, hospital, pharmacy, homely_remedy ...)."""

    name: ClassVar[str] = "medication.order_started"
    version: ClassVar[int] = 1
    source: str
    is_prn: bool = False
    acknowledged_findings: list[str] = []


@register_event
class OrderChanged(_Order):
    """An order was changed: a new version with the reason (``changed``: the fields)."""

    name: ClassVar[str] = "medication.order_changed"
    version: ClassVar[int] = 1
    changed: list[str]
    reason: str
    order_version: int


@register_event
class OrderSuspended(_Order):
    name: ClassVar[str] = "medication.order_suspended"
    version: ClassVar[int] = 1
    reason: str


@register_event
class OrderResumed(_Order):
    name: ClassVar[str] = "medication.order_resumed"
    version: ClassVar[int] = 1
    reason: str


@register_event
class OrderStopped(_Order):
    name: ClassVar[str] = "medication.order_stopped"
    version: ClassVar[int] = 1
    reason: str


@register_event
class ReconciliationCompleted(DomainEvent):
    """A medicines reconciliation was completed; the orders it started, changed and stopped."""

    name: ClassVar[str] = "medication.reconciliation_completed"
    version: ClassVar[int] = 1
    reconciliation_id: int
    resident_id: int
    occasion: str
    started: list[int] = []
    changed: list[int] = []
    stopped: list[int] = []
    queried: int = 0


@register_event
class CovertAdministrationAuthorised(DomainEvent):
    name: ClassVar[str] = "medication.covert_authorised"
    version: ClassVar[int] = 1
    authorisation_id: int
    order_id: int
    resident_id: int
