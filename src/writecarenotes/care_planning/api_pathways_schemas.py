"""Schemas of the pathways API and the functions that fill them (``api_pathways`` has the operations).

Inputs are bounded (string lengths, numbers) so that nothing a client sends can reach the database
unchecked; the services check the meaning (dates, choices, required fields) and answer 422 by field.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Field, ModelSchema, Schema

from writecarenotes.care_planning.models.pathways import (
    AdvanceDecision,
    AnticipatoryMedicine,
    MentalHealthContact,
    PathwayEnrolment,
    TherapyEquipment,
    TherapyGoal,
)
from writecarenotes.care_planning.models.pathways_entries import SYMPTOMS

T200 = Field(..., min_length=1, max_length=200)
TEXT = Field("", max_length=5000)
REASON = Field(..., min_length=1, max_length=1000)
_REGISTER = ["id", "resident", "version", "created_at", "created_by", "updated_at"]


class PathwayEnrolmentOut(ModelSchema):
    class Meta:
        model = PathwayEnrolment
        fields = ["id", "resident", "pathway", "started_on", "started_by", "ended_on", "end_reason", "care_plan_id"]


class PathwayInterventionOut(Schema):
    text: str
    how_often: str


class PathwayTemplateOut(Schema):
    pathway: str
    service_number: int
    title: str
    need_domain: str
    need_domain_label: str
    summary: str
    goals: list[str]
    interventions: list[PathwayInterventionOut]
    documents: list[str]
    records: list[str]
    sources: list[str]


class PathwayDocumentOut(Schema):
    kind: str
    pathway: str
    title: str
    source: str
    id: int | None
    version: int | None
    values: dict[str, Any] | None
    review_on: date | None
    updated_at: datetime | None
    updated_by_id: int | None


class PathwayFieldSpecOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    choices: list[list[str]]
    section: str


class PathwayDocumentDetailOut(PathwayDocumentOut):
    fields: list[PathwayFieldSpecOut]


class PathwayDocumentIn(Schema):
    values: dict[str, Any] = Field(..., description="field key: value (see `fields` of the document)")
    review_on: date | None = None
    reason: str = Field("", max_length=1000, description="Needed for every change after the first version")


class PathwayChangeOut(Schema):
    label: str
    before: str
    after: str


class PathwayDocumentVersionOut(Schema):
    version: int
    at: datetime
    by: str
    reason: str
    changes: list[PathwayChangeOut]


class PathwayStartIn(Schema):
    started_on: date | None = None


class PathwayEndIn(Schema):
    reason: str = REASON
    ended_on: date | None = None


class PathwayOverviewOut(Schema):
    resident_id: int
    enrolments: list[PathwayEnrolmentOut]
    documents: list[PathwayDocumentOut]


# --- entries -------------------------------------------------------------------------------------


class PathwayEntryOut(Schema):
    id: int
    resident_id: int
    kind: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by_id: int
    is_late: bool
    struck_at: datetime | None
    struck_reason: str
    replaced_by_id: int | None
    values: dict[str, Any]


class PathwayEntryWithHistory(PathwayEntryOut):
    history: list[PathwayEntryOut]


class _PathwayTimed(Schema):
    occurred_at: datetime | None = Field(None, description="When (default: now). Over an hour ago: a late entry.")


class PathwaySymptomsIn(_PathwayTimed):
    scores: dict[str, int | None] = Field(
        ...,
        description="symptom: IPOS level 0 not at all, 1 slightly, 2 moderately, 3 severely, 4 overwhelmingly; "
        "null = cannot assess. Symptoms: " + ", ".join(k for k, _l, _i in SYMPTOMS),
    )
    rated_by: str = Field("staff", description="resident or staff")
    actions: str = TEXT
    notes: str = TEXT


class PathwayMoodIn(_PathwayTimed):
    mood_score: int = Field(..., ge=1, le=5, description="1 very low ... 5 very good (not a validated scale)")
    observations: list[str] = Field(default_factory=list, max_length=20)
    behaviour: str = TEXT
    triggers: str = TEXT
    de_escalation: str = TEXT


class PathwaySessionIn(_PathwayTimed):
    therapist: str = Field(..., min_length=1, max_length=120)
    discipline: str = Field(..., description="physiotherapy or occupational_therapy")
    duration_minutes: int = Field(..., ge=1, le=480)
    activity: str = Field(..., min_length=1, max_length=300)
    progress_rating: int = Field(..., ge=1, le=5)
    notes: str = TEXT
    goal_id: int | None = Field(None, ge=1, le=2**31 - 1)


class PathwayMeasureIn(_PathwayTimed):
    value: Decimal | None = Field(None, ge=-999999, le=999999, max_digits=8, decimal_places=2)
    from_assessment: bool = Field(False, description="Read the latest Barthel result (Barthel goals)")
    notes: str = TEXT


class PathwayCorrectionIn(Schema):
    reason: str = REASON
    values: dict[str, Any] = Field(default_factory=dict, description="Only the fields that change")
    occurred_at: datetime | None = None


class PathwaySymptomsChange(Schema):
    scores: dict[str, int | None] | None = None
    rated_by: str | None = None
    actions: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=5000)


class PathwayMoodChange(Schema):
    mood_score: int | None = Field(None, ge=1, le=5)
    observations: list[str] | None = Field(None, max_length=20)
    behaviour: str | None = Field(None, max_length=5000)
    triggers: str | None = Field(None, max_length=5000)
    de_escalation: str | None = Field(None, max_length=5000)


class PathwaySessionChange(Schema):
    therapist: str | None = Field(None, min_length=1, max_length=120)
    discipline: str | None = None
    duration_minutes: int | None = Field(None, ge=1, le=480)
    activity: str | None = Field(None, min_length=1, max_length=300)
    progress_rating: int | None = Field(None, ge=1, le=5)
    notes: str | None = Field(None, max_length=5000)


class PathwayMeasurementChange(Schema):
    value: Decimal | None = Field(None, ge=-999999, le=999999, max_digits=8, decimal_places=2)
    notes: str | None = Field(None, max_length=5000)


CORRECTIONS = {
    "symptoms": PathwaySymptomsChange,
    "mood": PathwayMoodChange,
    "sessions": PathwaySessionChange,
    "measurements": PathwayMeasurementChange,
}


def entry_values(kind: str, e) -> dict:
    if kind == "symptoms":
        return {
            "scores": e.scores(),
            "severe": e.severe(),
            "rated_by": e.rated_by,
            "actions": e.actions,
            "notes": e.notes,
        }
    if kind == "mood":
        return {
            "mood_score": e.mood_score,
            "mood_label": str(e.get_mood_score_display()),
            "observations": list(e.observations or []),
            "concern": e.concern,
            "behaviour": e.behaviour,
            "triggers": e.triggers,
            "de_escalation": e.de_escalation,
        }
    if kind == "sessions":
        names = ("therapist", "discipline", "duration_minutes", "activity", "progress_rating", "notes", "goal_id")
        return {n: getattr(e, n) for n in names}
    return {
        "goal_id": e.goal_id,
        "value": str(e.value),
        "assessment_result_id": e.assessment_result_id,
        "notes": e.notes,
    }


def entry_out(kind: str, e) -> dict:
    return {
        "id": e.pk,
        "resident_id": e.resident_id,
        "kind": kind,
        "occurred_at": e.occurred_at,
        "recorded_at": e.recorded_at,
        "recorded_by_id": e.recorded_by_id,
        "is_late": e.is_late,
        "struck_at": e.struck_at,
        "struck_reason": e.struck_reason,
        "replaced_by_id": e.replaced_by_id,
        "values": entry_values(kind, e),
    }


# --- registers -----------------------------------------------------------------------------------


class PathwayMedicineIn(Schema):
    drug: str = Field(..., min_length=1, max_length=120)
    dose: str = Field(..., min_length=1, max_length=120)
    route: str
    frequency: str = Field("", max_length=120)
    indication: str
    indication_detail: str = Field("", max_length=200)
    prescribed_on: date
    prescriber: str = Field("", max_length=120)
    supply_note: str = Field("", max_length=200)


class PathwayMedicineChange(Schema):
    reason: str = REASON
    dose: str | None = Field(None, min_length=1, max_length=120)
    route: str | None = None
    frequency: str | None = Field(None, max_length=120)
    indication_detail: str | None = Field(None, max_length=200)
    prescriber: str | None = Field(None, max_length=120)
    supply_note: str | None = Field(None, max_length=200)


class PathwayStopIn(Schema):
    reason: str = REASON
    on: date | None = None


class PathwayMedicineOut(ModelSchema):
    class Meta:
        model = AnticipatoryMedicine
        fields = [
            *_REGISTER,
            "drug",
            "dose",
            "route",
            "frequency",
            "indication",
            "indication_detail",
            "prescribed_on",
            "prescriber",
            "supply_note",
            "stopped_on",
            "stop_reason",
        ]


_DECISION_BOOLS = (
    "copy_on_file",
    "refuses_life_sustaining",
    "life_at_risk_statement",
    "in_writing",
    "signed",
    "witnessed",
    "withdrawn",
    "later_lpa_covers_it",
    "inconsistent_conduct",
    "unanticipated_circumstances",
)


class PathwayDecisionIn(Schema):
    made_on: date
    treatments_refused: str = Field(..., min_length=1, max_length=5000)
    circumstances: str = TEXT
    document_location: str = T200
    copy_on_file: bool = False
    refuses_life_sustaining: bool = False
    life_at_risk_statement: bool = False
    in_writing: bool = False
    signed: bool = False
    witnessed: bool = False
    withdrawn: bool = False
    later_lpa_covers_it: bool = False
    inconsistent_conduct: bool = False
    unanticipated_circumstances: bool = False
    checked_on: date
    checked_by: str = Field(..., min_length=1, max_length=120)
    notes: str = TEXT


class PathwayDecisionCheckIn(PathwayDecisionIn):
    reason: str = REASON


class PathwayDecisionOut(ModelSchema):
    is_valid: bool
    applies_to_life_sustaining: bool
    problems: list[str]

    class Meta:
        model = AdvanceDecision
        fields = [
            *_REGISTER,
            "made_on",
            "treatments_refused",
            "circumstances",
            "document_location",
            *_DECISION_BOOLS,
            "checked_on",
            "checked_by",
            "notes",
        ]

    @staticmethod
    def resolve_problems(obj) -> list[str]:
        return obj.problems()


class PathwayContactIn(Schema):
    team: str = Field(..., min_length=1, max_length=160)
    worker_name: str = Field("", max_length=120)
    role: str = Field("", max_length=120)
    phone: str = Field(..., min_length=1, max_length=30)
    out_of_hours_phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    notes: str = TEXT


class PathwayContactChange(Schema):
    reason: str = REASON
    team: str | None = Field(None, min_length=1, max_length=160)
    worker_name: str | None = Field(None, max_length=120)
    role: str | None = Field(None, max_length=120)
    phone: str | None = Field(None, min_length=1, max_length=30)
    out_of_hours_phone: str | None = Field(None, max_length=30)
    email: str | None = Field(None, max_length=254)
    notes: str | None = Field(None, max_length=5000)


class PathwayContactOut(ModelSchema):
    class Meta:
        model = MentalHealthContact
        fields = [
            *_REGISTER,
            "team",
            "worker_name",
            "role",
            "phone",
            "out_of_hours_phone",
            "email",
            "notes",
            "ended_on",
            "end_reason",
        ]


class PathwayGoalIn(Schema):
    description: str = Field(..., min_length=1, max_length=300)
    discipline: str
    measure: str = Field(..., description="barthel, barthel-100 or other")
    measure_label: str = Field("", max_length=120)
    unit: str = Field("", max_length=30)
    higher_is_better: bool = True
    baseline_value: Decimal | None = Field(
        None,
        ge=-999999,
        le=999999,
        max_digits=8,
        decimal_places=2,
        description="Barthel goals: empty = the latest Barthel result",
    )
    baseline_on: date | None = None
    target_value: Decimal = Field(..., ge=-999999, le=999999, max_digits=8, decimal_places=2)
    target_on: date


class PathwayGoalChange(Schema):
    reason: str = REASON
    description: str | None = Field(None, min_length=1, max_length=300)
    target_value: Decimal | None = Field(None, ge=-999999, le=999999, max_digits=8, decimal_places=2)
    target_on: date | None = None


class PathwayGoalCloseIn(Schema):
    status: str = Field(..., description="achieved or stopped")
    reason: str = REASON


class PathwayGoalOut(ModelSchema):
    latest_value: Decimal | None = None
    progress_percent: int | None = None
    reached: bool = False
    measurements: list[PathwayEntryOut] = []

    class Meta:
        model = TherapyGoal
        fields = [
            *_REGISTER,
            "description",
            "discipline",
            "measure",
            "measure_label",
            "unit",
            "higher_is_better",
            "baseline_value",
            "baseline_on",
            "baseline_result_id",
            "target_value",
            "target_on",
            "status",
            "closed_on",
            "close_reason",
        ]


def goal_out(view) -> dict:
    g = view.goal
    out = {f: getattr(g, f) for f in PathwayGoalOut.Meta.fields if f not in ("resident", "created_by")}
    out.update(resident_id=g.resident_id, created_by_id=g.created_by_id)
    out.update(
        latest_value=view.latest,
        progress_percent=view.progress_percent,
        reached=view.reached,
        measurements=[entry_out("measurements", m) for m in view.measurements],
    )
    return out


class PathwayEquipmentIn(Schema):
    item: str = Field(..., min_length=1, max_length=160)
    serial_number: str = Field("", max_length=80)
    supplier: str = Field("", max_length=160)
    issued_on: date
    last_serviced_on: date | None = None
    next_service_due: date | None = None
    notes: str = TEXT


class PathwayServiceIn(Schema):
    serviced_on: date
    next_service_due: date | None = None
    notes: str = Field("", max_length=500)


class PathwayEquipmentOut(ModelSchema):
    class Meta:
        model = TherapyEquipment
        fields = [
            *_REGISTER,
            "item",
            "serial_number",
            "supplier",
            "issued_on",
            "last_serviced_on",
            "next_service_due",
            "notes",
            "returned_on",
            "return_reason",
        ]


class PathwayMaintenanceOut(Schema):
    equipment: PathwayEquipmentOut
    due_on: date
    overdue: bool
    days: int
