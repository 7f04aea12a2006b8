"""Domain events of daily care records (R3 appends the vital-signs events below)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event


@register_event
class NoteRecorded(DomainEvent):
    name: ClassVar[str] = "care_records.note_recorded"
    version: ClassVar[int] = 1
    note_id: int
    resident_id: int
    category: str
    occurred_at: datetime
    is_late: bool


@register_event
class FallNoted(DomainEvent):
    """A note flagged as a fall: incidents and falls-prevention services react to it."""

    name: ClassVar[str] = "care_records.fall_noted"
    version: ClassVar[int] = 1
    note_id: int
    resident_id: int
    occurred_at: datetime


@register_event
class ChartEntryRecorded(DomainEvent):
    """Any chart entry (food and fluid, repositioning, continence, weight, glucose, behaviour, sleep)."""

    name: ClassVar[str] = "care_records.chart_entry_recorded"
    version: ClassVar[int] = 1
    chart: str
    entry_id: int
    resident_id: int
    occurred_at: datetime


@register_event
class LowBloodGlucoseRecorded(DomainEvent):
    """A glucose reading below 4.0 mmol/L ("4 is the floor")."""

    name: ClassVar[str] = "care_records.low_blood_glucose_recorded"
    version: ClassVar[int] = 1
    entry_id: int
    resident_id: int
    mmol_per_l: float


@register_event
class EntryCorrected(DomainEvent):
    """An entry was struck through and replaced (``kind`` is the record kind, e.g. "note")."""

    name: ClassVar[str] = "care_records.entry_corrected"
    version: ClassVar[int] = 1
    kind: str
    entry_id: int
    replacement_id: int
    resident_id: int


@register_event
class HandoverSignedOff(DomainEvent):
    name: ClassVar[str] = "care_records.handover_signed_off"
    version: ClassVar[int] = 1
    handover_id: int
    unit_id: int
    shift_start: datetime
    shift_end: datetime


# --- vital signs events (R3) below this line ---


@register_event
class VitalSignsRecorded(DomainEvent):
    """A set of vital signs; ``news2_total`` and ``band`` are None / "" when NEWS2 could not be calculated."""

    name: ClassVar[str] = "care_records.vital_signs_recorded"
    version: ClassVar[int] = 1
    vital_signs_id: int
    resident_id: int
    occurred_at: datetime
    news2_total: int | None
    band: str
    red_score: bool
    soft_signs: list[str]


@register_event
class News2EscalationNeeded(DomainEvent):
    """NEWS2 of 5 or more, or 3 in a single parameter: someone must act now (GP, 111, 999)."""

    name: ClassVar[str] = "care_records.news2_escalation_needed"
    version: ClassVar[int] = 1
    vital_signs_id: int
    resident_id: int
    occurred_at: datetime
    news2_total: int
    band: str
    red_score: bool


@register_event
class SbardRecorded(DomainEvent):
    """An SBARD escalation was recorded (who was contacted, and the decision)."""

    name: ClassVar[str] = "care_records.sbard_recorded"
    version: ClassVar[int] = 1
    escalation_id: int
    resident_id: int
    vital_signs_id: int | None
    contacted: str
    occurred_at: datetime
