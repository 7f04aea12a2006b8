"""Schemas of the report API (``api_report``): what goes in, what comes out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema
from ninja.filter_schema import FilterLookup

from writecarenotes.platform.api.pagination import Filters, exact

YesNo = bool | None
#: a database id (SQLite and PostgreSQL keep 64-bit signed integers: a larger number is refused with a 422)
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Hours = Annotated[int, Field(ge=0, le=24 * 366)]


class PersonIn(Schema):
    role: str = Field("affected", description="affected, involved, witness, alleged")
    kind: str = Field("resident", description="resident, staff, visitor, other")
    resident_id: Id | None = Field(None, description="For a resident (of the same home)")
    user_id: Id | None = Field(None, description="For a member of staff with an account (optional)")
    name: str = Field("", max_length=120, description="Staff, visitors and others")
    contact: str = Field("", max_length=200)
    statement: str = Field("", max_length=5000, description="Their account, for witnesses")


class InjuryIn(Schema):
    body_location: str = Field(..., description="A body-map region (care_records' BODY_LOCATIONS), e.g. head_back")
    kind: str = Field(..., description="bruise, skin_tear, cut, swelling, head_injury, suspected_fracture, ...")
    description: str = Field("", max_length=300)
    person: Annotated[int, Field(ge=0, le=1000)] | None = Field(
        None, description="Whose injury: index into `people` (default: first resident affected)"
    )
    resident_id: Id | None = Field(None, description="Or whose injury by resident id")


class FactsIn(Schema):
    kind: str = Field(..., description="fall, pressure_ulcer, medication_error, skin_tear_injury, ..., other")
    other_kind: str = Field("", max_length=120, description="What kind, when kind is 'other'")
    pressure_ulcer_category: str = Field("", description="1, 2, 3, 4, unstageable, deep_tissue (pressure ulcers)")
    occurred_at: datetime = Field(..., description="When it happened (not in the future)")
    unit_id: Id | None = None
    location: str = Field(..., max_length=200)
    what_happened: str = Field(..., max_length=5000)
    immediate_actions: str = Field("", max_length=5000)
    severity: str = Field(..., description="no_harm, low, moderate, severe, death")
    witnessed: YesNo = None
    head_struck: YesNo = None
    serious_injury_tests: list[str] = Field(
        default_factory=list, description="impairment, body_structure, prolonged_pain, life_shortened"
    )
    treatment_to_prevent_serious_injury: bool = False
    medical_attention: str = Field("none", description="none, first_aid, nurse_gp, hospital, admitted")
    abuse_alleged: bool = False
    police_involved: bool = False
    disruption_hours: Hours | None = None
    unexpected_or_unintended: bool = True


class IncidentIn(FactsIn):
    home_id: Id | None = Field(None, description="Default: the residents' home, else the active home")
    people: list[PersonIn] = Field(default_factory=list)
    injuries: list[InjuryIn] = Field(default_factory=list)


class CorrectionIn(Schema):
    """Only the facts sent are changed; ``reason`` is required."""

    reason: str = Field(..., min_length=1, max_length=1000)
    kind: str | None = None
    other_kind: str | None = Field(None, max_length=120)
    pressure_ulcer_category: str | None = None
    occurred_at: datetime | None = None
    unit_id: Id | None = None
    location: str | None = Field(None, max_length=200)
    what_happened: str | None = Field(None, max_length=5000)
    immediate_actions: str | None = Field(None, max_length=5000)
    severity: str | None = None
    witnessed: YesNo = None
    head_struck: YesNo = None
    serious_injury_tests: list[str] | None = None
    treatment_to_prevent_serious_injury: bool | None = None
    medical_attention: str | None = None
    abuse_alleged: bool | None = None
    police_involved: bool | None = None
    disruption_hours: Hours | None = None
    unexpected_or_unintended: bool | None = None


class InjuryAddIn(Schema):
    person_id: Id = Field(..., description="A person of the incident (its `people[].id`)")
    body_location: str
    kind: str
    description: str = Field("", max_length=300)


class CloseIn(Schema):
    summary: str = Field(..., min_length=1, max_length=5000)


class PersonOut(Schema):
    id: int
    role: str
    kind: str
    resident_id: int | None
    user_id: int | None
    name: str
    contact: str
    statement: str
    added_at: datetime


class InjuryOut(Schema):
    id: int
    person_id: int
    body_location: str
    body_location_label: str
    kind: str
    description: str
    recorded_at: datetime


class PhotoOut(Schema):
    id: int
    caption: str
    content_type: str
    uploaded_at: datetime
    url: str


class VersionOut(Schema):
    version: int
    at: datetime
    by: str
    reason: str
    changed: list[str]


class StepOut(Schema):
    kind: str
    title: str
    due_at: datetime | None
    url: str


class IncidentOut(Schema):
    id: int
    home_id: int
    reference: str
    kind: str
    title: str
    other_kind: str
    pressure_ulcer_category: str
    occurred_at: datetime
    unit_id: int | None
    location: str
    what_happened: str
    immediate_actions: str
    severity: str
    witnessed: bool | None
    head_struck: bool | None
    serious_injury_tests: list[str]
    treatment_to_prevent_serious_injury: bool
    medical_attention: str
    abuse_alleged: bool
    police_involved: bool
    disruption_hours: int | None
    unexpected_or_unintended: bool
    source: str
    source_ref: str
    needs_details: bool
    reported_at: datetime
    reported_by_id: int | None
    status: str
    closed_at: datetime | None
    closed_by_id: int | None
    closing_summary: str
    version: int
    updated_at: datetime
    resident_ids: list[int]


class IncidentDetailOut(IncidentOut):
    people: list[PersonOut]
    injuries: list[InjuryOut]
    photos: list[PhotoOut]
    open_steps: list[StepOut]
    versions: list[VersionOut]


class IncidentFilters(Filters):
    status: Annotated[str | None, exact("status")] = None
    kind: Annotated[str | None, exact("kind")] = None
    unit_id: Annotated[Id | None, exact("unit_id")] = None
    needs_details: Annotated[bool | None, exact("needs_details")] = None
    resident_id: Annotated[Id | None, FilterLookup("people__resident_id")] = None
    occurred_from: Annotated[date | None, FilterLookup("occurred_at__date__gte")] = None
    occurred_to: Annotated[date | None, FilterLookup("occurred_at__date__lte")] = None
