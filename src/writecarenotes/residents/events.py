"""Domain events of the residents context (service 1): the resident's lifecycle.

Other contexts import these classes (and only these, besides ``residents.public``) to subscribe::

    @subscriber("resident.admitted", context="care_planning", name="care_planning.admission_tasks")
    def on_admitted(event: ResidentAdmitted, envelope): ...
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from writecarenotes.platform.events.api import DomainEvent, register_event


@register_event
class ResidentEnquiryCreated(DomainEvent):
    name: ClassVar[str] = "resident.enquiry_created"
    version: ClassVar[int] = 1
    resident_id: int


@register_event
class ResidentPreAdmissionAssessed(DomainEvent):
    name: ClassVar[str] = "resident.pre_admission_assessed"
    version: ClassVar[int] = 1
    resident_id: int
    assessed_on: date
    outcome: str


@register_event
class ResidentAdmitted(DomainEvent):
    name: ClassVar[str] = "resident.admitted"
    version: ClassVar[int] = 1
    resident_id: int
    admitted_at: datetime
    unit_id: int
    room_id: int


@register_event
class ResidentAbsenceStarted(DomainEvent):
    name: ClassVar[str] = "resident.absence_started"
    version: ClassVar[int] = 1
    resident_id: int
    started_at: datetime
    kind: str  # "hospital" | "social" | "other"
    expected_return: date | None = None


@register_event
class ResidentReturned(DomainEvent):
    name: ClassVar[str] = "resident.returned"
    version: ClassVar[int] = 1
    resident_id: int
    returned_at: datetime


@register_event
class ResidentDischarged(DomainEvent):
    name: ClassVar[str] = "resident.discharged"
    version: ClassVar[int] = 1
    resident_id: int
    discharged_at: datetime
    destination: str


@register_event
class ResidentDied(DomainEvent):
    name: ClassVar[str] = "resident.died"
    version: ClassVar[int] = 1
    resident_id: int
    died_at: datetime
    expected: bool


@register_event
class ResidentRoomChanged(DomainEvent):
    name: ClassVar[str] = "resident.room_changed"
    version: ClassVar[int] = 1
    resident_id: int
    from_room_id: int | None
    to_room_id: int
    unit_id: int


@register_event
class ResidentProfileChanged(DomainEvent):
    """A section of the profile changed (allergies, contacts, DNACPR ...): ``section`` names it."""

    name: ClassVar[str] = "resident.profile_changed"
    version: ClassVar[int] = 1
    resident_id: int
    section: str
