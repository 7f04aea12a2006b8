"""Domain events of the assessments context (service 3). Other contexts may import these classes."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event


@register_event
class AssessmentRecorded(DomainEvent):
    """A completed assessment (``total`` as a string: an exact decimal)."""

    name: ClassVar[str] = "assessment.recorded"
    version: ClassVar[int] = 1
    result_id: int
    resident_id: int
    tool: str
    tool_version: str
    total: str
    band: str
    band_rank: int | None
    assessed_at: datetime
    next_due_on: date | None


@register_event
class AssessmentBandWorsened(DomainEvent):
    """The band of a tool is worse than the resident's last result with the same tool (higher risk)."""

    name: ClassVar[str] = "assessment.band_worsened"
    version: ClassVar[int] = 1
    result_id: int
    previous_result_id: int
    resident_id: int
    tool: str
    previous_band: str
    band: str


@register_event
class AssessmentCorrected(DomainEvent):
    """A result was struck through (with a reason) and replaced by a corrected one."""

    name: ClassVar[str] = "assessment.corrected"
    version: ClassVar[int] = 1
    result_id: int
    replacement_id: int
    resident_id: int
    tool: str


@register_event
class AssessmentDueChanged(DomainEvent):
    """When the next assessment of a resident with a tool is due changed (``due_on`` None: none due)."""

    name: ClassVar[str] = "assessment.due_changed"
    version: ClassVar[int] = 1
    resident_id: int
    tool: str
    due_on: date | None
    reason: str


@register_event
class AssessmentOverdue(DomainEvent):
    """Published once per due date by the daily job when an assessment becomes overdue."""

    name: ClassVar[str] = "assessment.overdue"
    version: ClassVar[int] = 1
    resident_id: int
    tool: str
    due_on: date
    reason: str


@register_event
class ToolSettingsChanged(DomainEvent):
    name: ClassVar[str] = "assessment.tool_settings_changed"
    version: ClassVar[int] = 1
    tool: str
    enabled: bool
    band_set: str
    review_days: int | None
