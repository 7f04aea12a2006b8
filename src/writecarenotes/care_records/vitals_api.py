"""Vital signs API (mounted by care_records.api at /api/v1/care_records/).

GET/POST /residents/{id}/vital-signs          list (newest first) / record (Idempotency-Key honoured)
GET      /residents/{id}/vital-signs/{vs_id}  one set, with NEWS2, band and what to do
GET/POST /residents/{id}/sbard                SBARD escalations
POST     /residents/{id}/spo2-scale           set Scale 1 or 2 (care_records:manage)
GET      /residents/{id}/fhir/Observation     FHIR R4 Bundle of Observations (vital signs, NEWS2, weight, BMI, glucose)
(the resident as a FHIR Patient is served by the residents service: /api/v1/residents/{id}/fhir/Patient)
"""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from writecarenotes.care_records import fhir, news2
from writecarenotes.care_records.models import SbardEscalation, VitalSigns
from writecarenotes.care_records.services_notes import correct_entry
from writecarenotes.care_records.services_vitals import (
    VITALS_FIELDS,
    record_sbard,
    record_vital_signs,
    set_spo2_scale,
    temperature_value,
)
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import Filters, date_from, date_to, exact, paginated
from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.public import ResidentNotFound, get_resident

router = Router(tags=["vital signs"])

FHIR_CONTENT_TYPE = "application/fhir+json"


def _ref(resident_id: int, part: str | None = None):
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        raise Http404 from None
    if part:
        record_read("residents.resident", ref.id, home=ref.home_id, part=part, label=ref.display_name)
    return ref


class VitalSignsIn(Schema):
    occurred_at: datetime = Field(description="Time of care (ISO 8601 with offset).")
    respiration_rate: int | None = Field(None, description="Breaths per minute (0-80).")
    spo2: int | None = Field(None, description="Oxygen saturation, % (40-100).")
    on_oxygen: bool | None = Field(None, description="True when on supplemental oxygen.")
    systolic_bp: int | None = Field(None, description="mmHg (40-300).")
    diastolic_bp: int | None = Field(None, description="mmHg (20-200), not scored.")
    pulse: int | None = Field(None, description="Beats per minute (20-250).")
    consciousness: Literal["A", "C", "V", "P", "U"] | None = Field(None, description="ACVPU; C = new confusion.")
    temperature: Decimal | None = Field(None, description="Degrees Celsius (25.0-45.0), one decimal place.")
    soft_signs: list[str] = Field(default_factory=list, description="RESTORE2 soft signs (codes).")
    comment: str = Field("", max_length=2000)


class News2Out(Schema):
    total: int
    band: str
    red_score: bool
    scores: dict[str, int]
    spo2_scale: int


class AdviceOut(Schema):
    urgency: str
    headline: str
    actions: list[str]
    call_999: bool


class VitalSignsOut(Schema):
    id: int
    resident_id: int
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str
    is_late: bool
    respiration_rate: int | None
    spo2: int | None
    on_oxygen: bool | None
    systolic_bp: int | None
    diastolic_bp: int | None
    pulse: int | None
    consciousness: str | None
    temperature: Decimal | None
    soft_signs: list[str]
    comment: str
    spo2_scale: int
    news2: News2Out | None
    missing: list[str]
    advice: AdviceOut | None
    struck_at: datetime | None
    struck_reason: str
    replaced_by_id: int | None


def vital_signs_out(vs: VitalSigns) -> dict:
    result = vs.result()
    advice = news2.escalation_advice(result, soft_signs=bool(vs.soft_signs), gettext=_) if result else None
    return {
        "id": vs.pk,
        "resident_id": vs.resident_id,
        "occurred_at": vs.occurred_at,
        "recorded_at": vs.recorded_at,
        "recorded_by": vs.recorded_by.display_name,
        "is_late": vs.is_late,
        **{
            f: getattr(vs, f) for f in ("respiration_rate", "spo2", "on_oxygen", "systolic_bp", "diastolic_bp", "pulse")
        },
        "consciousness": vs.consciousness or None,
        "temperature": vs.temperature,
        "soft_signs": list(vs.soft_signs),
        "comment": vs.comment,
        "spo2_scale": vs.spo2_scale,
        "news2": (
            {
                "total": vs.news2_total,
                "band": vs.news2_band,
                "red_score": vs.news2_red,
                "scores": vs.news2_scores,
                "spo2_scale": vs.spo2_scale,
            }
            if vs.is_complete
            else None
        ),
        "missing": vs.missing_parameters(),
        "advice": (
            {
                "urgency": advice.urgency,
                "headline": advice.headline,
                "actions": list(advice.actions),
                "call_999": advice.call_999,
            }
            if advice
            else None
        ),
        "struck_at": vs.struck_at,
        "struck_reason": vs.struck_reason,
        "replaced_by_id": vs.replaced_by_id,
    }


class VitalSignsFilters(Filters):
    occurred_from: Annotated[datetime | None, date_from("occurred_at")] = None
    occurred_to: Annotated[datetime | None, date_to("occurred_at")] = None
    news2_band: Annotated[str | None, exact("news2_band")] = None


@router.get(
    "/residents/{resident_id}/vital-signs",
    response=list[VitalSignsOut],
    summary="A resident's vital signs, newest first (struck entries included, marked)",
)
@paginated
@requires("care_records", "view")
def list_vital_signs(request, resident_id: int, filters: Query[VitalSignsFilters]):
    ref = _ref(resident_id, "vital signs (API)")
    qs = filters.filter(VitalSigns.objects.filter(resident_id=ref.id).select_related("recorded_by"))
    return [vital_signs_out(v) for v in qs.order_by("-occurred_at", "-pk")]


@router.post(
    "/residents/{resident_id}/vital-signs",
    response={201: VitalSignsOut},
    summary="Record vital signs; NEWS2 is computed when all seven parameters are present",
)
@requires("care_records", "record")
@idempotent
def create_vital_signs(request, resident_id: int, payload: VitalSignsIn):
    ref = _ref(resident_id)
    data = payload.model_dump()
    occurred_at = data.pop("occurred_at")
    vs = record_vital_signs(resident_id=ref.id, user=request.user, occurred_at=occurred_at, values=data)
    return Status(201, vital_signs_out(vs))


@router.get(
    "/residents/{resident_id}/vital-signs/{vital_signs_id}",
    response=VitalSignsOut,
    summary="One set of vital signs with its NEWS2 and what to do",
)
@requires("care_records", "view")
def get_vital_signs(request, resident_id: int, vital_signs_id: int):
    ref = _ref(resident_id, "vital signs (API)")
    vs = get_object_or_404(VitalSigns.objects.select_related("recorded_by"), pk=vital_signs_id, resident_id=ref.id)
    return vital_signs_out(vs)


class VitalSignsCorrectionIn(Schema):
    reason: str = Field(min_length=1, max_length=1000, description="Why the entry is corrected (kept with it).")
    occurred_at: datetime | None = Field(None, description="A corrected time of care, if it changes.")
    values: dict[str, int | bool | str | Decimal | list[str] | None] = Field(
        default_factory=dict,
        description="The fields that change (respiration_rate, spo2, on_oxygen, systolic_bp, diastolic_bp, pulse, "
        "consciousness, temperature, soft_signs, comment); NEWS2 is worked out again.",
    )


@router.post(
    "/residents/{resident_id}/vital-signs/{vital_signs_id}/correct",
    response={201: VitalSignsOut},
    summary="Strike a set of vital signs through and record the corrected set (with a reason)",
)
@requires("care_records", "record")
@idempotent
def correct_vital_signs(request, resident_id: int, vital_signs_id: int, payload: VitalSignsCorrectionIn):
    ref = _ref(resident_id)
    vs = get_object_or_404(VitalSigns, pk=vital_signs_id, resident_id=ref.id)
    unknown = set(payload.values) - set(VITALS_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be corrected here.") for name in sorted(unknown)})
    values = dict(payload.values)
    if "consciousness" in values:
        values["consciousness"] = values["consciousness"] or ""
    if "temperature" in values:
        values["temperature"] = temperature_value(values["temperature"])
    if payload.occurred_at is not None:
        values["occurred_at"] = payload.occurred_at
    replacement = correct_entry(vs, reason=payload.reason, new_values=values, user=request.user)
    return Status(201, vital_signs_out(replacement))


class SbardIn(Schema):
    occurred_at: datetime = Field(description="When the call was made.")
    vital_signs_id: int | None = None
    situation: str = Field(max_length=5000)
    background: str = Field(max_length=5000)
    assessment: str = Field(max_length=5000)
    recommendation: str = Field(max_length=5000)
    decision: str = Field("", max_length=5000)
    contacted: Literal["gp", "nhs_111", "999", "community", "nurse", "other"]
    contacted_name: str = Field("", max_length=200)
    outcome: str = Field("", max_length=5000)


class SbardOut(Schema):
    id: int
    resident_id: int
    vital_signs_id: int | None
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str
    situation: str
    background: str
    assessment: str
    recommendation: str
    decision: str
    contacted: str
    contacted_name: str
    outcome: str
    struck_at: datetime | None

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.display_name


@router.get("/residents/{resident_id}/sbard", response=list[SbardOut], summary="A resident's SBARD escalations")
@paginated
@requires("care_records", "view")
def list_sbard(request, resident_id: int):
    ref = _ref(resident_id, "SBARD escalations (API)")
    return (
        SbardEscalation.objects.filter(resident_id=ref.id).select_related("recorded_by").order_by("-occurred_at", "-pk")
    )


@router.post("/residents/{resident_id}/sbard", response={201: SbardOut}, summary="Record an SBARD escalation")
@requires("care_records", "record")
@idempotent
def create_sbard(request, resident_id: int, payload: SbardIn):
    ref = _ref(resident_id)
    data = payload.model_dump()
    occurred_at = data.pop("occurred_at")
    vital_signs_id = data.pop("vital_signs_id")
    escalation = record_sbard(
        resident_id=ref.id, user=request.user, occurred_at=occurred_at, values=data, vital_signs_id=vital_signs_id
    )
    return Status(201, escalation)


class Spo2ScaleIn(Schema):
    spo2_scale: Literal[1, 2]
    reason: str = Field(min_length=1, max_length=1000)


class Spo2ScaleOut(Schema):
    resident_id: int
    spo2_scale: int
    reason: str
    set_at: datetime


@router.post(
    "/residents/{resident_id}/spo2-scale",
    response=Spo2ScaleOut,
    summary="Set the resident's SpO2 scale for NEWS2 (Scale 2: prescribed target 88-92%)",
)
@requires("care_records", "manage")
@idempotent
def post_spo2_scale(request, resident_id: int, payload: Spo2ScaleIn):
    ref = _ref(resident_id)
    plan = set_spo2_scale(resident_id=ref.id, user=request.user, spo2_scale=payload.spo2_scale, reason=payload.reason)
    return plan


@router.get(
    "/residents/{resident_id}/fhir/Observation",
    response={200: dict},
    summary="FHIR R4 Bundle (searchset) of the resident's Observations: vital signs, NEWS2, weight, BMI, glucose",
)
@requires("care_records", "view")
def fhir_observations(request, resident_id: int):
    ref = _ref(resident_id, "FHIR observations (API)")
    bundle = fhir.observation_bundle(ref, base_url=request.build_absolute_uri("/api/v1/care_records/"))
    return JsonResponse(bundle, content_type=FHIR_CONTENT_TYPE)
