"""Daily care records API, mounted at /api/v1/care_records/.

  /residents/{id}/notes                      GET (filters) / POST
  /residents/{id}/charts/{chart}             GET / POST, one pair per chart (food-fluid, repositioning,
                                             continence, weight, blood-glucose, behaviour, sleep)
  /residents/{id}/entries/{kind}/{entry_id}  GET (with its history); .../correct POST
  /residents/{id}/summary                    GET today's totals and last values
  /residents/{id}/chart-settings             GET / PUT
  /units/{unit_id}/alerts, /alerts           GET "who needs what now"
  /units/{unit_id}/handover                  GET; .../items POST; .../sign-off POST
  /entries/batch                             POST many notes and chart entries (api_batch)
R3's vital signs router is added at the same prefix.
"""

import contextlib
from datetime import datetime

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from writecarenotes.care_records import alerts as alert_list
from writecarenotes.care_records import handover as handovers
from writecarenotes.care_records import rules
from writecarenotes.care_records.api_batch import router as batch_router
from writecarenotes.care_records.api_schemas import (
    CHART_INPUTS,
    AlertOut,
    ChartSettingsIn,
    ChartSettingsIO,
    CorrectionIn,
    EntryFilters,
    EntryOut,
    EntryWithHistory,
    HandoverItemIn,
    HandoverOut,
    NoteFilters,
    NoteIn,
    SummaryOut,
    _In,
    entry_out,
)
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
from writecarenotes.platform.api.pagination import Mapped, paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import ResidentNotFound, get_resident_or_404

router = Router(tags=["care records"])
KINDS = {"notes": CareNote, **CHARTS}


# --- helpers ------------------------------------------------------------------------------------


_ref = get_resident_or_404  # a resident of the active scope, or a 404


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
router.add_router("", batch_router)  # POST /entries/batch: many entries, each as if posted alone
