"""Daily care records API, mounted at /api/v1/care_records/.

  /residents/{id}/notes                      GET (filters) / POST
  /residents/{id}/charts/{chart}             GET / POST, one pair per chart (food-fluid, repositioning,
                                             continence, weight, blood-glucose, behaviour, sleep)
  /residents/{id}/entries/{kind}/{entry_id}  GET (with its history); .../correct POST
  /residents/{id}/summary                    GET today's totals and last values
  /residents/{id}/chart-settings             GET / PUT
  /units/{unit_id}/alerts, /alerts           GET "who needs what now"
  /units/{unit_id}/handover                  GET; .../items POST; .../sign-off POST
R3's vital signs router is added at the same prefix.
"""

import contextlib
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.care_records import alerts as alert_list
from writecarenotes.care_records import handover as handovers
from writecarenotes.care_records import rules
from writecarenotes.care_records.forms import CHART_FIELDS
from writecarenotes.care_records.models import CareNote
from writecarenotes.care_records.public import resident_summary
from writecarenotes.care_records.services_charts import (
    CHARTS,
    SETTING_FIELDS,
    record_chart_entry,
    set_chart_settings,
    settings_for,
)
from writecarenotes.care_records.services_notes import correct_entry, history_of, record_note
from writecarenotes.care_records.vitals_api import router as vitals_router
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, Mapped, date_from, date_to, exact, paginated, text_search
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import ResidentNotFound, get_resident

router = Router(tags=["care records"])
KINDS = {"notes": CareNote, **CHARTS}


# --- schemas ------------------------------------------------------------------------------------


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


# --- helpers ------------------------------------------------------------------------------------


def _ref(resident_id: int):
    try:
        return get_resident(resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


@contextlib.contextmanager
def _resident_404():
    """A resident not found by a service (not in scope) is a 404 problem."""
    try:
        yield
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


def _when(value: datetime | None) -> datetime:
    return value if value is not None else timezone.now()


def _created(request, kind: str, entry, response: HttpResponse):
    response["Location"] = f"/api/v1/care_records/residents/{entry.resident_id}/entries/{kind}/{entry.pk}"
    return Status(201, entry_out(kind, entry))


# --- notes --------------------------------------------------------------------------------------


@router.post("/residents/{resident_id}/notes", response={201: EntryOut}, summary="Record a quick note")
@requires("care_records", "record")
@idempotent
def create_note(request, resident_id: int, payload: NoteIn, response: HttpResponse):
    data = payload.dict()
    with _resident_404():  # the API found the resident first; the service reads it again in its transaction
        occurred_at = _when(data.pop("occurred_at"))
        note = record_note(resident_id=resident_id, user=request.user, occurred_at=occurred_at, **data)
    return _created(request, "notes", note, response)


@router.get("/residents/{resident_id}/notes", response=list[EntryOut], summary="A resident's notes, newest first")
@paginated
@requires("care_records", "view")
def list_notes(request, resident_id: int, filters: Query[NoteFilters]):
    ref = _ref(resident_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part="daily care notes (API)", label=ref.display_name)
    qs = filters.filter(CareNote.objects.filter(resident_id=ref.id)).order_by("-occurred_at", "-pk")
    return Mapped(qs, lambda e: entry_out("notes", e))


# --- charts -------------------------------------------------------------------------------------


def _chart_operations(chart: str, schema: type[_In]) -> None:
    op = chart.replace("-", "_")

    @router.post(
        f"/residents/{{resident_id}}/charts/{chart}",
        response={201: EntryOut},
        summary=f"Record a {chart} chart entry",
        operation_id=f"care_records_record_{op}",
    )
    @requires("care_records", "record")
    @idempotent
    def create(request, resident_id: int, payload: schema, response: HttpResponse):  # type: ignore[valid-type]
        data = payload.dict()
        occurred_at = _when(data.pop("occurred_at"))
        with _resident_404():
            entry = record_chart_entry(
                chart, resident_id=resident_id, user=request.user, occurred_at=occurred_at, values=data
            )
        return _created(request, chart, entry, response)

    @router.get(
        f"/residents/{{resident_id}}/charts/{chart}",
        response=list[EntryOut],
        summary=f"A resident's {chart} chart, newest first",
        operation_id=f"care_records_list_{op}",
    )
    @paginated
    @requires("care_records", "view")
    def list_entries(request, resident_id: int, filters: Query[EntryFilters]):
        ref = _ref(resident_id)
        record_read("residents.resident", ref.id, home=ref.home_id, part=f"{chart} chart (API)", label=ref.display_name)
        qs = filters.filter(CHARTS[chart].objects.filter(resident_id=ref.id)).order_by("-occurred_at", "-pk")
        return Mapped(qs, lambda e: entry_out(chart, e))


for _chart, _schema in CHART_INPUTS.items():
    _chart_operations(_chart, _schema)


# --- one entry, corrections ---------------------------------------------------------------------


def _entry(ref, kind: str, entry_id: int):
    model = KINDS.get(kind)
    if model is None:
        raise Http404(_("No such kind of record."))
    entry = model.objects.filter(pk=entry_id, resident_id=ref.id).first()
    if entry is None:
        raise Http404(_("No such entry."))
    return entry


@router.get(
    "/residents/{resident_id}/entries/{kind}/{entry_id}",
    response=EntryWithHistory,
    summary="One entry with its correction history",
)
@requires("care_records", "view")
def get_entry(request, resident_id: int, kind: str, entry_id: int):
    ref = _ref(resident_id)
    entry = _entry(ref, kind, entry_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part=f"{kind} {entry_id} (API)", label=ref.display_name)
    return {**entry_out(kind, entry), "history": [entry_out(kind, e) for e in history_of(entry)]}


@router.post(
    "/residents/{resident_id}/entries/{kind}/{entry_id}/correct",
    response={201: EntryOut},
    summary="Strike an entry through and record its replacement (with a reason)",
)
@requires("care_records", "record")
@idempotent
def correct(request, resident_id: int, kind: str, entry_id: int, payload: CorrectionIn, response: HttpResponse):
    ref = _ref(resident_id)
    entry = _entry(ref, kind, entry_id)
    allowed = set(["category", "text", "body_location", "fall"] if kind == "notes" else CHART_FIELDS[kind])
    unknown = set(payload.values) - allowed
    if unknown:
        from django.core.exceptions import ValidationError

        raise ValidationError({name: _("This field cannot be corrected here.") for name in sorted(unknown)})
    values = dict(payload.values)
    if payload.occurred_at is not None:
        values["occurred_at"] = payload.occurred_at
    replacement = correct_entry(entry, reason=payload.reason, new_values=values, user=request.user)
    return _created(request, kind, replacement, response)


# --- summary and settings -----------------------------------------------------------------------


@router.get("/residents/{resident_id}/summary", response=SummaryOut, summary="Today's fluid total and chart status")
@requires("care_records", "view")
def summary(request, resident_id: int):
    ref = _ref(resident_id)
    record_read("residents.resident", ref.id, home=ref.home_id, part="care summary (API)", label=ref.display_name)
    s = resident_summary(ref)
    w = s["weight"] or {}
    return {
        "resident_id": ref.id,
        "fluid_total_ml": s["fluid"]["total_ml"],
        "fluid_target_ml": s["fluid"]["target_ml"],
        "fluid_expected_ml": s["fluid"]["expected_ml"],
        "below_fluid_target": s["fluid"]["below"],
        "repositioning_overdue": s["repositioning"]["overdue"],
        "days_since_bowel_movement": s["bowels"]["days_since"],
        "bowel_alert": s["bowels"]["alert"],
        "weight_kg": str(w["kg"]) if w else None,
        "bmi": str(w["bmi"]) if w and w.get("bmi") is not None else None,
        "weight_change_percent": {
            f"{m}m": (str(c) if c is not None else None) for m, c in (w.get("change") or {}).items()
        },
        "must_weight_loss_score": w.get("must_score", 0) if w else 0,
    }


@router.get("/residents/{resident_id}/chart-settings", response=ChartSettingsIO, summary="A resident's chart settings")
@requires("care_records", "view")
def get_chart_settings(request, resident_id: int, response: HttpResponse):
    ref = _ref(resident_id)
    s = settings_for(ref.id)
    response["ETag"] = etag_for(s)
    return {f: getattr(s, f) for f in SETTING_FIELDS}


@router.put(
    "/residents/{resident_id}/chart-settings", response=ChartSettingsIO, summary="Set a resident's chart settings"
)
@requires("care_records", "manage")
def put_chart_settings(request, resident_id: int, payload: ChartSettingsIn, response: HttpResponse):
    """Needs ``If-Match`` with the ETag of GET (428 without it, 412 when someone changed them since)."""
    ref = _ref(resident_id)
    if_match = if_match_header(request)
    data = payload.dict()
    reason = data.pop("reason")
    s = set_chart_settings(resident_id=ref.id, values=data, reason=reason, if_match=if_match)
    response["ETag"] = etag_for(s)
    return {f: getattr(s, f) for f in SETTING_FIELDS}


# --- alerts and handover ------------------------------------------------------------------------


def _unit(unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("No such unit."))
    return unit


@router.get("/alerts", response=list[AlertOut], summary="Who needs what now, in the active home")
@requires("care_records", "view")
def home_alerts(request):
    return [a.as_dict() for a in alert_list.alerts_for(None)]


@router.get("/units/{unit_id}/alerts", response=list[AlertOut], summary="Who needs what now, in a unit")
@requires("care_records", "view")
def unit_alerts(request, unit_id: int):
    unit = _unit(unit_id)
    return [a.as_dict() for a in alert_list.alerts_for(unit.pk)]


def _shift(shift_start: datetime | None):
    if shift_start is None:
        return handovers.last_shift()
    if timezone.is_naive(shift_start):
        shift_start = timezone.make_aware(shift_start)
    return rules.shift_bounds(timezone.localtime(shift_start))


def _handover_out(unit: Unit, start, end) -> dict:
    found = handovers.find_handover(unit.pk, start)
    summary = found.summary if found and found.is_signed_off else handovers.generate_summary(unit.pk, start, end)
    return {
        "unit_id": unit.pk,
        "shift_start": start,
        "shift_end": end,
        "signed_off_at": found.signed_off_at if found else None,
        "signed_off_by_id": found.signed_off_by_id if found else None,
        "summary": summary,
        "items": list(found.items.all()) if found else [],
    }


@router.get("/units/{unit_id}/handover", response=HandoverOut, summary="The handover of a unit's last (or given) shift")
@requires("care_records", "view")
def get_handover(request, unit_id: int, shift_start: datetime | None = None):
    unit = _unit(unit_id)
    start, end = _shift(shift_start)
    return _handover_out(unit, start, end)


@router.post(
    "/units/{unit_id}/handover/items", response={201: HandoverOut}, summary="Add an item to a shift's handover"
)
@requires("care_records", "record")
@idempotent
def add_handover_item(request, unit_id: int, payload: HandoverItemIn, shift_start: datetime | None = None):
    unit = _unit(unit_id)
    start, end = _shift(shift_start)
    handovers.add_handover_item(
        unit_id=unit.pk, start=start, end=end, user=request.user, text=payload.text, resident_id=payload.resident_id
    )
    return Status(201, _handover_out(unit, start, end))


@router.post("/units/{unit_id}/handover/sign-off", response=HandoverOut, summary="Sign off a shift's handover")
@requires("care_records", "manage")
@idempotent
def sign_off_handover(request, unit_id: int, shift_start: datetime | None = None):
    unit = _unit(unit_id)
    start, end = _shift(shift_start)
    handovers.sign_off_handover(unit_id=unit.pk, start=start, end=end, user=request.user)
    return _handover_out(unit, start, end)


router.add_router("", vitals_router)
