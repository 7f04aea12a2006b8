"""Schemas of the daily care records API (``api``, ``api_batch``): what goes in and comes out."""

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema

from writecarenotes.care_records.forms import CHART_FIELDS
from writecarenotes.platform.api.pagination import Filters, date_from, date_to, exact, text_search


class EntryOut(Schema):
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
    summary: str
    values: dict[str, Any]


def entry_out(kind: str, e) -> dict:
    names = ["category", "text", "body_location", "fall"] if kind == "notes" else CHART_FIELDS[kind]
    values = {}
    for n in names:
        v = getattr(e, n)
        values[n] = str(v) if isinstance(v, Decimal) else v
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
        "summary": e.summary(),
        "values": values,
    }


class EntryWithHistory(EntryOut):
    history: list[EntryOut]


class _In(Schema):
    occurred_at: datetime | None = Field(None, description="Time of care (default: now). Over 1 hour ago → late entry.")


class NoteIn(_In):
    category: str = Field(
        ..., description="personal_care, nutrition, mobility, mood, social, night_check, visitor, professional_visit"
    )
    text: str = Field(..., max_length=5000)
    body_location: str = ""
    fall: bool = False


class FoodFluidIn(_In):
    meal: str = "drink"
    item: str = Field(..., max_length=200)
    fluid_ml: int = Field(0, ge=0, le=2000)
    amount_eaten: str = ""


class RepositioningIn(_In):
    position: str
    skin_check: str
    notes: str = ""


class ContinenceIn(_In):
    bowels_opened: bool = False
    stool_type: int | None = Field(None, ge=1, le=7, description="Bristol stool type 1-7")
    urine_passed: bool = False
    urine_ml: int | None = Field(None, ge=0, le=3000)
    pad_changed: bool = False
    notes: str = ""


class WeightIn(_In):
    weight_kg: Decimal = Field(..., ge=20, le=300, decimal_places=1)


class BloodGlucoseIn(_In):
    mmol_per_l: Decimal = Field(..., ge=Decimal("0.5"), le=40, decimal_places=1)
    timing: str = "random"


class BehaviourIn(_In):
    antecedent: str
    behaviour: str
    consequence: str
    duration_minutes: int = Field(..., ge=0, le=1440)
    intensity: int = Field(..., ge=1, le=3, description="1 mild, 2 moderate, 3 severe")


class SleepIn(_In):
    state: str = Field(..., description="asleep, awake, out_of_bed")
    notes: str = ""


CHART_INPUTS: dict[str, type[_In]] = {
    "food-fluid": FoodFluidIn,
    "repositioning": RepositioningIn,
    "continence": ContinenceIn,
    "weight": WeightIn,
    "blood-glucose": BloodGlucoseIn,
    "behaviour": BehaviourIn,
    "sleep": SleepIn,
}


class EntryFilters(Filters):
    occurred_from: Annotated[date | None, date_from("occurred_at__date")] = None
    occurred_to: Annotated[date | None, date_to("occurred_at__date")] = None


class NoteFilters(EntryFilters):
    category: Annotated[str | None, exact("category")] = None
    q: Annotated[str | None, text_search("text")] = None


class CorrectionIn(Schema):
    reason: str = Field(..., min_length=1, max_length=1000)
    values: dict[str, Any] = Field(default_factory=dict, description="Only the fields that change")
    occurred_at: datetime | None = None


class ChartSettingsIO(Schema):
    fluid_target_ml: int = Field(1500, ge=100, le=5000)
    fluid_check_time: time = time(14, 0)
    fluid_check_percent: int = Field(50, ge=1, le=100)
    repositioning_interval_hours: int | None = Field(None, ge=1, le=12)
    bowel_alert_days: int = Field(3, ge=1, le=14)
    monitor_fluids: bool = True


class ChartSettingsIn(ChartSettingsIO):
    reason: str = ""


class AlertOut(Schema):
    resident_id: int
    resident_name: str
    room: str
    unit_name: str
    unit_id: int | None
    kind: str
    severity: str
    message: str
    url: str


class HandoverItemOut(Schema):
    id: int
    resident_id: int | None
    text: str
    added_by_id: int
    added_at: datetime


class HandoverOut(Schema):
    unit_id: int
    shift_start: datetime
    shift_end: datetime
    signed_off_at: datetime | None
    signed_off_by_id: int | None
    summary: dict[str, Any]
    items: list[HandoverItemOut]


class HandoverItemIn(Schema):
    text: str = Field(..., min_length=1, max_length=2000)
    resident_id: int | None = None


class SummaryOut(Schema):
    resident_id: int
    fluid_total_ml: int
    fluid_target_ml: int
    fluid_expected_ml: int
    below_fluid_target: bool
    repositioning_overdue: bool
    days_since_bowel_movement: int | None
    bowel_alert: bool
    weight_kg: str | None
    bmi: str | None
    weight_change_percent: dict[str, str | None]
    must_weight_loss_score: int
