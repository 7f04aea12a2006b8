"""Domain events of the risk register (care planning, service 2)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = ["RiskClosed", "RiskRaised", "RiskRatingChanged"]


@register_event
class RiskRaised(DomainEvent):
    """A risk was added to a resident's register (scores on the NPSA 5 x 5 matrix)."""

    name: ClassVar[str] = "risk.raised"
    version: ClassVar[int] = 1
    risk_id: int
    resident_id: int
    kind: str
    score: int
    rating: str
    residual_score: int
    residual_rating: str
    review_on: date


@register_event
class RiskRatingChanged(DomainEvent):
    """The score before or after the controls changed (``rating`` / ``residual_rating``: NPSA grades)."""

    name: ClassVar[str] = "risk.rating_changed"
    version: ClassVar[int] = 1
    risk_id: int
    resident_id: int
    kind: str
    previous_score: int
    score: int
    previous_rating: str
    rating: str
    previous_residual_score: int
    residual_score: int
    previous_residual_rating: str
    residual_rating: str


@register_event
class RiskClosed(DomainEvent):
    name: ClassVar[str] = "risk.closed"
    version: ClassVar[int] = 1
    risk_id: int
    resident_id: int
    kind: str
    closed_on: date
    reason: str
