"""Domain events of the safety checks (published in the transaction of the change, outbox).

``SafetyCheckOverridden`` (an override recorded with a dose) is in ``events_rounds``; this module has
the manager's review of an override.
"""

from __future__ import annotations

from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["SafetyOverrideReviewed"]


@register_event
class SafetyOverrideReviewed(DomainEvent):
    """A manager reviewed a safety check override, with a note."""

    name: ClassVar[str] = "medication.safety_override_reviewed"
    version: ClassVar[int] = 1
    override_id: int
    administration_id: int
    resident_id: int
    rule: str
    reviewed_by_id: int
