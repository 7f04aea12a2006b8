"""API of the medication round (mounted under /api/v1/medication/).

  GET  /rounds?unit=&slot=&date=                      the round: residents with the doses due in the slot
                                                      and their PRN medicines (next dose from)
  POST /administrations                               record a dose (Idempotency-Key honoured): 201 + ETag
  GET  /administrations?resident_id=&administered_at_from=&administered_at_to=   a resident's records
  GET  /administrations/{administration_id}           one record, with its ETag
  POST /administrations/{administration_id}/corrections   a correction with the reason (If-Match required)
  POST /administrations/{administration_id}/effect    the effect of a PRN dose
  GET  /alerts                                        open alerts (consecutive days not given)
  POST /alerts/{alert_id}/acknowledge                 the GP contact note

A safety check that stops a dose, a slot already recorded, a dose before its window: 422 problem with the
reasons in plain words (``errors``). Another home's record or alert: 404 before the body is read.
"""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.medication.models import Administration, AlertStatus, MedicationAlert, MedicationOrder
from writecarenotes.medication.services_rounds import (
    AdministrationNotFound,
    OrderNotFound,
    correct_administration,
    record_administration,
    record_prn_effect,
)
from writecarenotes.medication.services_rounds_alerts import AlertNotFound, acknowledge_alert, alert_rows, open_alerts
from writecarenotes.medication.services_rounds_round import build_round
from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.platform.tenancy.models import Unit
from writecarenotes.residents.public import ResidentNotFound, get_resident

router = Router(tags=["medication: round (eMAR)"])
Day = date  # a schema field is named "date"


class AdministrationOut(Schema):
    id: int
    order_id: int
    resident_id: int
    medicine: str
    is_prn: bool
    due_at: datetime | None
    outcome: str
    reason_code: str
    note: str
    dose: Decimal | None
    dose_unit: str
    administered_at: datetime
    recorded_at: datetime
    recorded_by: str
    late: bool
    witness: str
    effect_due_at: datetime | None
    effect: str
    effect_note: str
    version: int


class AdministrationIn(Schema):
    order_id: int
    outcome: str = Field(
        ..., description="given, refused, omitted, not_required, withheld, unavailable, absent, self_administered"
    )
    dose: Decimal | None = Field(None, description="Given or self-administered: the amount in the dose unit")
    reason_code: str = Field("", max_length=30, description="Not given: a code from the reason list")
    note: str = Field("", max_length=500)
    due_at: datetime | None = Field(None, description="The scheduled slot (regular); null for a PRN dose")
    at: datetime | None = Field(None, description="When it happened (default now)")
    override_reason: str = Field("", max_length=500, description="To override a safety check (if permitted)")
    witness_email: str = Field("", max_length=254, description="Controlled drugs: the witness's own e-mail")
    witness_password: str = Field("", max_length=256, description="Controlled drugs: the witness's own password")


class AdministrationCorrectionIn(Schema):
    reason: str = Field(..., max_length=300)
    outcome: str | None = None
    dose: Decimal | None = None
    reason_code: str | None = Field(None, max_length=30)
    note: str | None = Field(None, max_length=500)
    override_reason: str = Field("", max_length=500)


class EffectIn(Schema):
    effect: str = Field(..., description="effective, partly or not_effective")
    note: str = Field("", max_length=300)
    at: datetime | None = None


class DoseOut(Schema):
    order_id: int
    medicine: str
    dose: str
    due_at: datetime
    opens: datetime
    on_time_until: datetime
    state: str
    time_critical: bool
    instructions: str
    administration: AdministrationOut | None


class PrnOut(Schema):
    order_id: int
    medicine: str
    dose: str
    give_when: str
    dose_rule: str
    min_interval_minutes: int | None
    max_doses_24h: int | None
    last_given: datetime | None
    doses_last_24h: int
    next_dose_from: datetime | None


class ResidentRoundOut(Schema):
    resident_id: int
    name: str
    room: str
    doses: list[DoseOut]
    prn: list[PrnOut]


class RoundOut(Schema):
    date: Day
    slot: str
    slots: list[str]
    residents: list[ResidentRoundOut]


class RoundFilters(Schema):
    unit: int | None = None
    slot: str = Field("", max_length=5, pattern=r"^$|^[0-2][0-9]:[0-5][0-9]$")
    date: Day | None = None


class AdministrationFilters(Schema):
    resident_id: int
    administered_at_from: date | None = None
    administered_at_to: date | None = None


class MedicationAlertOut(Schema):
    id: int
    order_id: int
    resident_id: int
    resident_name: str
    medicine: str
    first_day: date
    last_day: date
    days: int
    outcomes: list[str]
    status: str
    raised_at: datetime
    acknowledged_by: str
    acknowledged_at: datetime | None
    gp_contact_note: str


class AcknowledgeIn(Schema):
    gp_contact_note: str = Field(..., max_length=1000)


def administration_out(a: Administration) -> dict:
    order = a.order
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "order_id",
                "resident_id",
                "due_at",
                "outcome",
                "reason_code",
                "note",
                "dose",
                "administered_at",
                "recorded_at",
                "late",
                "effect_due_at",
                "effect",
                "effect_note",
                "version",
            )
        },
        "medicine": order.medicine.name,
        "is_prn": order.is_prn,
        "dose_unit": order.medicine.dose_unit,
        "recorded_by": a.recorded_by.display_name if a.recorded_by_id else "",
        "witness": a.witness.display_name if a.witness_id else "",
    }


def _adm_or_404(pk: int) -> Administration:
    a = Administration.objects.select_related("order__medicine", "recorded_by", "witness").filter(pk=pk).first()
    if a is None:
        raise Http404(_("No such administration record."))
    return a


def _with_etag(a: Administration, response: HttpResponse, status: int = 200):
    response["ETag"] = etag_for(a)
    return Status(status, administration_out(a)) if status != 200 else administration_out(a)


@router.get("/rounds", response=RoundOut, summary="The round for a unit and a time slot")
@requires("medication", "view")
def get_round(request, filters: Query[RoundFilters]):
    unit_id = None
    if filters.unit is not None:
        if not Unit.objects.filter(pk=filters.unit).exists():
            raise Http404(_("No such unit."))
        unit_id = filters.unit
    rnd = build_round(unit_id=unit_id, day=filters.date or timezone.localdate(), slot=filters.slot)
    return {
        "date": rnd.day,
        "slot": rnd.slot,
        "slots": rnd.slots,
        "residents": [
            {
                "resident_id": row.resident.id,
                "name": row.resident.display_name,
                "room": row.resident.room,
                "doses": [
                    {
                        "order_id": d.order.pk,
                        "medicine": d.order.medicine.name,
                        "dose": d.order.dose_text,
                        "due_at": d.due_at,
                        "opens": d.opens,
                        "on_time_until": d.closes,
                        "state": d.state,
                        "time_critical": d.time_critical,
                        "instructions": d.order.instructions,
                        "administration": _round_record(d),
                    }
                    for d in row.doses
                ],
                "prn": [
                    {
                        "order_id": p.order.pk,
                        "medicine": p.order.medicine.name,
                        "dose": p.order.dose_text,
                        "give_when": p.order.prn_indication,
                        "dose_rule": p.order.prn_dose_rule,
                        "min_interval_minutes": p.order.prn_min_interval_minutes,
                        "max_doses_24h": p.order.prn_max_doses_24h,
                        "last_given": p.last_given,
                        "doses_last_24h": p.doses_24h,
                        "next_dose_from": p.next_from,
                    }
                    for p in row.prn
                ],
            }
            for row in rnd.rows
        ],
    }


def _round_record(d) -> dict | None:
    if d.record is None:
        return None
    d.record.order = d.order
    return administration_out(d.record)


@router.post("/administrations", response={201: AdministrationOut}, summary="Record a dose (given, refused, ...)")
@requires("medication", "record")
@idempotent
def post_administration(request, payload: AdministrationIn, response: HttpResponse):
    data = payload.dict()
    order_id = data.pop("order_id")
    email, password = data.pop("witness_email"), data.pop("witness_password")
    if not MedicationOrder.objects.filter(pk=order_id).exists():
        raise Http404(_("No such prescription."))
    try:
        adm = record_administration(
            order_id,
            user=request.user,
            access=request.access,
            request=request,
            witness={"email": email, "password": password} if (email or password) else None,
            **data,
        )
    except OrderNotFound:
        raise Http404(_("No such prescription.")) from None
    response["Location"] = f"/api/v1/medication/administrations/{adm.pk}"
    return _with_etag(_adm_or_404(adm.pk), response, 201)


@router.get("/administrations", response=list[AdministrationOut], summary="A resident's administration records")
@paginated
@requires("medication", "view")
def list_administrations(request, filters: Query[AdministrationFilters]):
    try:
        ref = get_resident(filters.resident_id)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None
    qs = Administration.objects.filter(resident_id=ref.id).select_related("order__medicine", "recorded_by", "witness")
    if filters.administered_at_from:
        qs = qs.filter(administered_at__date__gte=filters.administered_at_from)
    if filters.administered_at_to:
        qs = qs.filter(administered_at__date__lte=filters.administered_at_to)
    record_read(
        "residents.resident", ref.id, home=ref.home_id, part="administration records (API)", label=ref.display_name
    )
    return [administration_out(a) for a in qs.order_by("-administered_at", "-pk")]


@router.get("/administrations/{administration_id}", response=AdministrationOut, summary="One administration record")
@requires("medication", "view")
def get_administration(request, administration_id: int, response: HttpResponse):
    return _with_etag(_adm_or_404(administration_id), response)


@router.post(
    "/administrations/{administration_id}/corrections",
    response={201: AdministrationOut},
    summary="Correct a record (a new version with the reason; If-Match required)",
)
@requires("medication", "record")
@idempotent
def post_correction(request, administration_id: int, payload: AdministrationCorrectionIn, response: HttpResponse):
    if_match = if_match_header(request)
    try:
        correct_administration(
            administration_id, user=request.user, access=request.access, if_match=if_match, **payload.dict()
        )
    except AdministrationNotFound:
        raise Http404(_("No such administration record.")) from None
    return _with_etag(_adm_or_404(administration_id), response, 201)


@router.post(
    "/administrations/{administration_id}/effect",
    response={201: AdministrationOut},
    summary="Record a PRN dose's effect",
)
@requires("medication", "record")
@idempotent
def post_effect(request, administration_id: int, payload: EffectIn, response: HttpResponse):
    try:
        record_prn_effect(administration_id, user=request.user, **payload.dict())
    except AdministrationNotFound:
        raise Http404(_("No such administration record.")) from None
    return _with_etag(_adm_or_404(administration_id), response, 201)


def _alert_out(row) -> dict:
    a = row.alert
    return {
        **{
            f: getattr(a, f)
            for f in (
                "id",
                "order_id",
                "resident_id",
                "first_day",
                "last_day",
                "days",
                "outcomes",
                "status",
                "raised_at",
                "acknowledged_at",
                "gp_contact_note",
            )
        },
        "resident_name": row.resident_name,
        "medicine": row.medicine,
        "acknowledged_by": a.acknowledged_by.display_name if a.acknowledged_by_id else "",
    }


@router.get("/alerts", response=list[MedicationAlertOut], summary="Alerts: doses not given on consecutive days")
@paginated
@requires("medication", "view")
def list_alerts(request, status: str = AlertStatus.OPEN):
    if status not in AlertStatus.values:
        raise Http404(_("No such status."))
    return [_alert_out(r) for r in open_alerts(status=status)]


@router.post(
    "/alerts/{alert_id}/acknowledge", response={201: MedicationAlertOut}, summary="Record the GP contact for an alert"
)
@requires("medication", "record")
@idempotent
def post_acknowledge(request, alert_id: int, payload: AcknowledgeIn):
    try:
        acknowledge_alert(alert_id, user=request.user, note=payload.gp_contact_note)
    except AlertNotFound:
        raise Http404(_("No such alert.")) from None
    alert = MedicationAlert.objects.select_related("order__medicine", "acknowledged_by").get(pk=alert_id)
    return Status(201, _alert_out(alert_rows([alert])[0]))


def administration_exists(pk: int) -> bool:
    return Administration.objects.filter(pk=pk).exists()


def alert_exists(pk: int) -> bool:
    return MedicationAlert.objects.filter(pk=pk).exists()
