"""Domain events of the specialist pathways (services 29-32); re-exported by ``care_planning.events``."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event

__all__ = [
    "AdvanceDecisionRecorded",
    "AnticipatoryMedicineChanged",
    "EquipmentIssued",
    "EquipmentServiceDue",
    "PathwayDocumentSaved",
    "PathwayEnded",
    "PathwayEntryCorrected",
    "PathwayStarted",
    "MoodRecorded",
    "SymptomsRecorded",
    "TherapyGoalMeasured",
    "TherapySessionRecorded",
]


@register_event
class PathwayStarted(DomainEvent):
    name: ClassVar[str] = "pathway.started"
    version: ClassVar[int] = 1
    enrolment_id: int
    resident_id: int
    pathway: str
    started_on: date


@register_event
class PathwayEnded(DomainEvent):
    name: ClassVar[str] = "pathway.ended"
    version: ClassVar[int] = 1
    enrolment_id: int
    resident_id: int
    pathway: str
    ended_on: date


@register_event
class PathwayDocumentSaved(DomainEvent):
    """A new version of a pathway document ("This is me", advance care plan, last-days plan ...)."""

    name: ClassVar[str] = "pathway.document_saved"
    version: ClassVar[int] = 1
    document_id: int
    resident_id: int
    kind: str
    document_version: int


@register_event
class SymptomsRecorded(DomainEvent):
    """A symptom observation (IPOS levels 0-4 by symptom, None = cannot assess); ``severe`` lists the
    symptoms rated 3 (severely) or 4 (overwhelmingly): a nurse should review now."""

    name: ClassVar[str] = "pathway.symptoms_recorded"
    version: ClassVar[int] = 1
    observation_id: int
    resident_id: int
    occurred_at: datetime
    scores: dict[str, int | None]
    severe: list[str]


@register_event
class AnticipatoryMedicineChanged(DomainEvent):
    """An anticipatory medicine was recorded, changed or stopped (``change``: recorded/changed/stopped)."""

    name: ClassVar[str] = "pathway.anticipatory_medicine_changed"
    version: ClassVar[int] = 1
    medicine_id: int
    resident_id: int
    drug: str
    indication: str
    change: str


@register_event
class AdvanceDecisionRecorded(DomainEvent):
    """An advance decision to refuse treatment was recorded or re-checked."""

    name: ClassVar[str] = "pathway.advance_decision_recorded"
    version: ClassVar[int] = 1
    decision_id: int
    resident_id: int
    valid: bool
    applies_to_life_sustaining: bool


@register_event
class MoodRecorded(DomainEvent):
    """A mood and behaviour entry; ``concern`` when the mood was very low or a warning sign was noticed."""

    name: ClassVar[str] = "pathway.mood_recorded"
    version: ClassVar[int] = 1
    entry_id: int
    resident_id: int
    occurred_at: datetime
    mood_score: int
    concern: bool


@register_event
class TherapySessionRecorded(DomainEvent):
    name: ClassVar[str] = "pathway.therapy_session_recorded"
    version: ClassVar[int] = 1
    session_id: int
    resident_id: int
    discipline: str
    occurred_at: datetime
    progress_rating: int
    goal_id: int | None


@register_event
class TherapyGoalMeasured(DomainEvent):
    """A goal was measured; ``reached`` when the value reached the target (the goal stays open until closed)."""

    name: ClassVar[str] = "pathway.goal_measured"
    version: ClassVar[int] = 1
    goal_id: int
    measurement_id: int
    resident_id: int
    value: str
    target: str
    reached: bool


@register_event
class EquipmentIssued(DomainEvent):
    name: ClassVar[str] = "pathway.equipment_issued"
    version: ClassVar[int] = 1
    equipment_id: int
    resident_id: int
    item: str
    next_service_due: date | None


@register_event
class EquipmentServiceDue(DomainEvent):
    """Published by the daily job, once when servicing falls due (within 14 days) and once when overdue."""

    name: ClassVar[str] = "pathway.equipment_service_due"
    version: ClassVar[int] = 1
    equipment_id: int
    resident_id: int
    item: str
    serial_number: str
    due_on: date
    overdue: bool


@register_event
class PathwayEntryCorrected(DomainEvent):
    """An entry (symptoms, mood, sessions, measurements) was struck through and replaced, with a reason."""

    name: ClassVar[str] = "pathway.entry_corrected"
    version: ClassVar[int] = 1
    kind: str
    entry_id: int
    replacement_id: int
    resident_id: int
