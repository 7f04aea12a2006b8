"""Schemas of the Mental Capacity Act API (``api_capacity``) and the functions that fill them."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from writecarenotes.care_planning import capacity_rules as rules
from writecarenotes.care_planning.models.capacity import BestInterestDecision, CapacityAssessment, LibertyRecord

Text = Field(..., max_length=5000)


class KindOut(Schema):
    key: str
    label: str
    body_label: str
    requested: bool
    needs_end: bool
    max_days: int | None
    source: str


class FrameworkOut(Schema):
    nation: str
    framework: str
    framework_label: str
    kinds: list[KindOut]


def framework_out(nation: str, framework: str) -> dict:
    return {
        "nation": nation,
        "framework": framework,
        "framework_label": str(rules.FRAMEWORK_LABELS[framework]),
        "kinds": [
            {
                "key": k.key,
                "label": str(k.label),
                "body_label": str(k.body_label),
                "requested": k.requested,
                "needs_end": k.needs_end,
                "max_days": k.max_days,
                "source": str(k.source),
            }
            for k in rules.kinds_for(framework)
        ],
    }


# --- capacity assessments -----------------------------------------------------------------------


class AssessmentIn(Schema):
    decision: str = Field(..., max_length=300, description="The specific decision the assessment is about")
    impairment: bool = Field(
        ..., description="Stage 1: an impairment of, or disturbance in the functioning of, the mind or brain"
    )
    impairment_evidence: str = Text
    understand: bool = Field(..., description="Able to understand the information relevant to the decision")
    understand_evidence: str = Text
    retain: bool = Field(..., description="Able to retain that information")
    retain_evidence: str = Text
    use_weigh: bool = Field(..., description="Able to use or weigh that information as part of deciding")
    use_weigh_evidence: str = Text
    communicate: bool = Field(..., description="Able to communicate the decision by any means")
    communicate_evidence: str = Text
    because_of_impairment: bool | None = Field(None, description="Unable to decide because of the impairment (s.2(1))")
    practicable_steps: str = Field("", max_length=5000)
    outcome: str = Field(..., description="has_capacity or lacks_capacity: must follow from the answers")
    assessor_id: int
    assessed_on: date
    review_on: date | None = None


class AssessmentCorrectionIn(AssessmentIn):
    reason: str = Field(..., min_length=1, max_length=1000)


class AssessmentOut(Schema):
    id: int
    resident_id: int
    decision: str
    impairment: bool
    impairment_evidence: str
    understand: bool
    understand_evidence: str
    retain: bool
    retain_evidence: str
    use_weigh: bool
    use_weigh_evidence: str
    communicate: bool
    communicate_evidence: str
    because_of_impairment: bool | None
    practicable_steps: str
    outcome: str
    outcome_label: str
    assessor_id: int
    assessor_name: str
    assessed_on: date
    review_on: date | None
    recorded_at: datetime
    recorded_by_id: int
    struck_at: datetime | None
    struck_reason: str
    replaced_by_id: int | None


_ASSESSMENT_FIELDS = [f for f in AssessmentOut.model_fields if f not in ("outcome_label", "assessor_name")]


def assessment_out(a: CapacityAssessment) -> dict:
    return {
        **{f: getattr(a, f) for f in _ASSESSMENT_FIELDS},
        "outcome_label": str(a.get_outcome_display()),
        "assessor_name": a.assessor.display_name,
    }


# --- best-interest decisions --------------------------------------------------------------------


class ConsultedIO(Schema):
    name: str = Field(..., max_length=200)
    relationship: str = Field(..., max_length=120, description="Relationship to the resident, or role (e.g. IMCA)")
    views: str = Text


class DecisionIn(Schema):
    capacity_assessment_id: int = Field(..., description="The assessment that found the person lacks capacity")
    decision: str = Text
    options_considered: str = Text
    consulted: list[ConsultedIO] = Field(..., max_length=30)
    wishes_feelings_beliefs: str = Text
    least_restrictive: str = Text
    decision_maker: str = Field(..., max_length=200)
    decision_maker_role: str = Field(..., max_length=120)
    decided_on: date


class DecisionOut(Schema):
    id: int
    resident_id: int
    capacity_assessment_id: int
    decision: str
    options_considered: str
    consulted: list[ConsultedIO]
    wishes_feelings_beliefs: str
    least_restrictive: str
    decision_maker: str
    decision_maker_role: str
    decided_on: date
    recorded_at: datetime
    recorded_by_id: int
    struck_at: datetime | None


def decision_out(d: BestInterestDecision) -> dict:
    return {f: getattr(d, f) for f in DecisionOut.model_fields}


# --- liberty records ----------------------------------------------------------------------------


class LibertyIn(Schema):
    kind: str = Field(..., description="One of the kinds of the home's framework (GET .../frameworks)")
    body: str = Field("", max_length=200, description="Supervisory body, Trust panel, court or service")
    reference: str = Field("", max_length=60)
    person_appointed: str = Field("", max_length=200)
    requested_on: date | None = None
    start_on: date | None = None
    end_on: date | None = None
    prescribed_condition: bool = False
    conditions: list[str] = Field(default_factory=list, max_length=30)
    notes: str = Field("", max_length=5000)


class GrantIn(Schema):
    decided_on: date
    start_on: date
    end_on: date | None = None
    conditions: list[str] = Field(default_factory=list, max_length=30)
    reference: str = Field("", max_length=60)


class RefuseIn(Schema):
    decided_on: date
    reason: str = Field(..., min_length=1, max_length=1000)


class ExtendIn(Schema):
    new_end_on: date
    decided_on: date
    reason: str = Field(..., min_length=1, max_length=1000)


class EndIn(Schema):
    ended_on: date
    reason: str = Field(..., min_length=1, max_length=1000)


class ConditionsIn(Schema):
    conditions: list[str] = Field(..., max_length=30)
    reason: str = Field(..., min_length=1, max_length=1000)


class VersionOut(Schema):
    version: int
    at: datetime
    by: str
    reason: str
    changed: list[str]


class LibertyOut(Schema):
    id: int
    resident_id: int
    framework: str
    framework_label: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    body: str
    reference: str
    person_appointed: str
    requested_on: date | None
    decided_on: date | None
    start_on: date | None
    end_on: date | None
    days_left: int | None
    extensions: int
    prescribed_condition: bool
    conditions: list[str]
    notes: str
    outcome_reason: str
    ended_on: date | None
    recorded_at: datetime
    recorded_by_id: int
    version: int


class LibertyDetailOut(LibertyOut):
    versions: list[VersionOut]


_LIBERTY_OWN = ("framework_label", "kind_label", "status_label", "days_left")


def liberty_out(r: LibertyRecord) -> dict:
    return {
        **{f: getattr(r, f) for f in LibertyOut.model_fields if f not in _LIBERTY_OWN},
        "framework_label": str(rules.FRAMEWORK_LABELS[r.framework]),
        "kind_label": r.kind_label,
        "status_label": str(r.get_status_display()),
        "days_left": r.days_left(),
    }


class ExpiryOut(Schema):
    state: str = Field(..., description="expiring (ends within 28 days) or expired")
    record: LibertyOut
    resident_name: str
    room: str
    unit_name: str
    home_id: int
    days_left: int
    renewal_under_way: bool
