"""What other contexts may use of the care planning context (service 2).

Reads go through the scoped manager: call inside a request's scope or ``tenancy.scope.acting_for``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["BestInterestRef", "CapacityRef", "best_interest_decisions", "capacity_assessments"]


@dataclass(frozen=True)
class CapacityRef:
    """A decision-specific capacity assessment (Mental Capacity Act 2005, ss.2-3), not struck through."""

    id: int
    resident_id: int
    decision: str
    lacks_capacity: bool
    assessed_on: date
    review_on: date | None


@dataclass(frozen=True)
class BestInterestRef:
    """A best-interests decision (MCA 2005, s.4) and the capacity assessment it rests on."""

    id: int
    resident_id: int
    capacity_assessment_id: int
    decision: str
    decision_maker: str
    decided_on: date


def capacity_assessments(resident_id: int) -> list[CapacityRef]:
    """The resident's current capacity assessments (struck-through ones left out), newest first."""
    from writecarenotes.care_planning.models import CapacityAssessment

    rows = CapacityAssessment.objects.filter(resident_id=resident_id, struck_at__isnull=True)
    return [
        CapacityRef(
            id=c.pk,
            resident_id=c.resident_id,
            decision=c.decision,
            lacks_capacity=c.lacks_capacity,
            assessed_on=c.assessed_on,
            review_on=c.review_on,
        )
        for c in rows
    ]


def best_interest_decisions(resident_id: int) -> list[BestInterestRef]:
    """The resident's current best-interests decisions (struck-through ones left out), newest first."""
    from writecarenotes.care_planning.models import BestInterestDecision

    rows = BestInterestDecision.objects.filter(resident_id=resident_id, struck_at__isnull=True)
    return [
        BestInterestRef(
            id=b.pk,
            resident_id=b.resident_id,
            capacity_assessment_id=b.capacity_assessment_id,
            decision=b.decision,
            decision_maker=b.decision_maker,
            decided_on=b.decided_on,
        )
        for b in rows
    ]
