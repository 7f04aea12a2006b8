"""Residents API under /api/v1/residents: search, the record, lifecycle transitions, profile
sections (If-Match on changes), allergies, diagnoses, contacts, LPAs, the care journey and the
FHIR R4 Patient. POSTs honour Idempotency-Key. Refused transitions and bad input: 422 problems.

Permissions: reading needs residents:view; admissions, discharge, identity, DNACPR and LPA need
residents:manage; absences, returns, deaths and the rest of the profile need residents:record.
"""

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.api.pagination import paginated
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import services, services_profile, timeline
from writecarenotes.residents.api_common import (  # noqa: F401
    _PATCH,
    ResidentDetailOut,
    ResidentOut,
    _detail,
    _read,
    _resident,
)
from writecarenotes.residents.api_parts import parts_router
from writecarenotes.residents.fhir import patient_for
from writecarenotes.residents.models import Resident
from writecarenotes.residents.views import search

router = Router(tags=["residents"])
router.add_router("", parts_router)


# --- Residents ------------------------------------------------------------------------------


@router.get("/", response=list[ResidentOut], summary="Residents of the active home (current ones unless searching)")
@paginated
@requires("residents", "view")
def list_residents(request, q: str = ""):
    return search(q)


class EnquiryIn(Schema):
    legal_given_names: str = Field(..., max_length=120)
    legal_family_name: str = Field(..., max_length=120)
    preferred_name: str = Field("", max_length=80)
    date_of_birth: date
    nhs_number: str = Field("", max_length=20)
    enquiry_on: date | None = None
    enquiry_notes: str = Field("", max_length=4000)


@router.post("/", response={201: ResidentDetailOut}, summary="Record an enquiry (a new person)")
@requires("residents", "manage")
@idempotent
def create_enquiry(request, payload: EnquiryIn, response: HttpResponse):
    from writecarenotes.platform.api.problems import Conflict

    home = request.access.active_home
    if home is None:
        raise Conflict("Choose one home to act for, then record the enquiry.")
    resident = services.create_enquiry(home=home, user=request.user, **payload.dict())
    response["Location"] = f"{request.path.rstrip('/')}/{resident.pk}"
    return _detail(resident, response, 201)


@router.get("/{resident_id}", response=ResidentDetailOut, summary="One resident (the whole profile), with its ETag")
@requires("residents", "view")
def get_resident(request, resident_id: int, response: HttpResponse):
    resident = _resident(resident_id)
    _read(resident, "profile (API)")
    response["ETag"] = etag_for(resident)
    return resident


# --- Lifecycle ------------------------------------------------------------------------------
# Body fields of operations on one resident are optional in the schemas: the services check them
# (422 with field messages) AFTER the resident was found, so another home's resident is a 404.


class PreAdmissionIn(Schema):
    assessed_on: date | None = None
    assessed_by: str = Field(None, max_length=120)
    summary: str = Field(None, max_length=8000)
    outcome: str | None = None


class AdmitIn(Schema):
    room_id: int | None = None
    admitted_at: datetime | None = None


class AbsenceIn(Schema):
    kind: str | None = None
    started_at: datetime | None = None
    expected_return: date | None = None
    reason: str = Field("", max_length=300)


class ReturnIn(Schema):
    returned_at: datetime | None = None


class DischargeIn(Schema):
    discharged_at: datetime | None = None
    destination: str | None = None
    reason: str = Field(None, max_length=300)


class DeathIn(Schema):
    died_at: datetime | None = None
    verified_by: str = Field(None, max_length=120)
    verified_role: str = Field(None, max_length=80)
    expected: bool | None = None
    place: str = Field(None, max_length=120)


class RoomIn(Schema):
    room_id: int | None = None
    reason: str = Field(None, max_length=300)


@router.post("/{resident_id}/pre-admission", response=ResidentDetailOut, summary="Record the pre-admission assessment")
@requires("residents", "manage")
@idempotent
def pre_admission(request, resident_id: int, payload: PreAdmissionIn, response: HttpResponse):
    r = services.record_pre_admission(_resident(resident_id), user=request.user, **payload.dict())
    return _detail(r, response)


@router.post("/{resident_id}/admit", response=ResidentDetailOut, summary="Admit into a room with a free bed")
@requires("residents", "manage")
@idempotent
def admit(request, resident_id: int, payload: AdmitIn, response: HttpResponse):
    r = services.admit(_resident(resident_id), room=payload.room_id, admitted_at=payload.admitted_at, user=request.user)
    return _detail(r, response)


@router.post("/{resident_id}/absence", response=ResidentDetailOut, summary="Start a temporary absence (bed held)")
@requires("residents", "record")
@idempotent
def absence(request, resident_id: int, payload: AbsenceIn, response: HttpResponse):
    r = services.start_absence(_resident(resident_id), user=request.user, **payload.dict())
    return _detail(r, response)


@router.post("/{resident_id}/return", response=ResidentDetailOut, summary="Record the return from an absence")
@requires("residents", "record")
@idempotent
def record_return(request, resident_id: int, payload: ReturnIn, response: HttpResponse):
    r = services.record_return(_resident(resident_id), user=request.user, **payload.dict())
    return _detail(r, response)


@router.post("/{resident_id}/discharge", response=ResidentDetailOut, summary="Discharge")
@requires("residents", "manage")
@idempotent
def discharge(request, resident_id: int, payload: DischargeIn, response: HttpResponse):
    r = services.discharge(_resident(resident_id), user=request.user, **payload.dict())
    return _detail(r, response)


@router.post("/{resident_id}/death", response=ResidentDetailOut, summary="Record a death")
@requires("residents", "record")
@idempotent
def death(request, resident_id: int, payload: DeathIn, response: HttpResponse):
    r = services.record_death(_resident(resident_id), user=request.user, **payload.dict())
    return _detail(r, response)


@router.post("/{resident_id}/room", response=ResidentDetailOut, summary="Move to another room")
@requires("residents", "manage")
@idempotent
def change_room(request, resident_id: int, payload: RoomIn, response: HttpResponse):
    r = services.change_room(_resident(resident_id), room=payload.room_id, reason=payload.reason, user=request.user)
    return _detail(r, response)


# --- Profile sections (If-Match) ------------------------------------------------------------


class IdentityIn(Schema):
    reason: str = Field(None, max_length=300)
    legal_given_names: str = Field(None, max_length=120)
    legal_family_name: str = Field(None, max_length=120)
    preferred_name: str = Field(None, max_length=80)
    pronouns: str = Field(None, max_length=40)
    date_of_birth: date = None
    nhs_number: str = Field(None, max_length=20)


class HealthIn(Schema):
    reason: str = Field(None, max_length=300)
    gp_practice_name: str = Field(None, max_length=160)
    gp_ods_code: str = Field(None, max_length=10)
    gp_phone: str = Field(None, max_length=30)
    funding_type: str = Field(None, max_length=20)
    religion: str = Field(None, max_length=80)
    first_language: str = Field(None, max_length=60)
    interpreter_needed: bool = None
    communication_needs: str = Field(None, max_length=4000)
    height_cm: Decimal | None = Field(None, max_digits=4, decimal_places=1)


class AboutIn(Schema):
    reason: str = Field(None, max_length=300)
    preferences: str = Field(None, max_length=8000)
    about_me: str = Field(None, max_length=20000)


class DnacprIn(Schema):
    reason: str = Field(None, max_length=300)
    dnacpr_status: str | None = None
    dnacpr_decided_on: date | None = None
    dnacpr_review_on: date | None = None


def _update(request, resident_id: int, section: str, payload: Schema, response: HttpResponse):
    resident = _resident(resident_id)
    if_match = if_match_header(request)
    values = payload.dict(exclude_unset=True)
    reason = values.pop("reason", "")
    r = services_profile.update_profile(resident, section=section, values=values, reason=reason, if_match=if_match)
    return _detail(r, response)


@router.patch("/{resident_id}/identity", response=ResidentDetailOut, summary="Change names, DOB, NHS number", **_PATCH)
@requires("residents", "manage")
def update_identity(request, resident_id: int, payload: IdentityIn, response: HttpResponse):
    return _update(request, resident_id, "identity", payload, response)


@router.patch("/{resident_id}/health", response=ResidentDetailOut, summary="Change GP, funding, language ...", **_PATCH)
@requires("residents", "record")
def update_health(request, resident_id: int, payload: HealthIn, response: HttpResponse):
    return _update(request, resident_id, "health", payload, response)


@router.patch("/{resident_id}/about", response=ResidentDetailOut, summary="Change preferences and About me", **_PATCH)
@requires("residents", "record")
def update_about(request, resident_id: int, payload: AboutIn, response: HttpResponse):
    return _update(request, resident_id, "about", payload, response)


@router.patch(
    "/{resident_id}/dnacpr", response=ResidentDetailOut, summary="Change the DNACPR / ReSPECT status", **_PATCH
)
@requires("residents", "manage")
def update_dnacpr(request, resident_id: int, payload: DnacprIn, response: HttpResponse):
    return _update(request, resident_id, "dnacpr", payload, response)


# --- Care journey and FHIR ------------------------------------------------------------------


class TimelineItemOut(Schema):
    at: datetime
    kind: str | None = None
    category: str = ""
    title: str
    text: str = ""
    url: str = ""
    struck: bool = False


class TimelineFilters(Schema):
    kind: str = ""
    category: str = ""
    date_from: date | None = None
    date_to: date | None = None
    before: datetime | None = Field(None, description="Only entries older than this (the previous page's next_before)")
    limit: int = Field(timeline.PAGE_SIZE, ge=1, le=timeline.MAX_PAGE_SIZE)


class TimelinePageOut(Schema):
    items: list[TimelineItemOut]
    next_before: datetime | None = Field(None, description="Pass as `before` for the next, older page; null at the end")


@router.get(
    "/{resident_id}/timeline",
    response=TimelinePageOut,
    summary="The care journey, newest first, a page at a time (cursor: before)",
)
@requires("residents", "view")
def get_timeline(request, resident_id: int, filters: Query[TimelineFilters]):
    r = _resident(resident_id)
    _read(r, "care journey (API)")
    data = filters.dict()
    if data["date_from"] and data["date_to"] and data["date_from"] > data["date_to"]:
        raise ValidationError({"date_to": _("The end date is before the start date.")})
    page = timeline.collect(request, r.pk, data, limit=data.pop("limit"))
    return {"items": page.items, "next_before": page.next_before}


@router.get("/{resident_id}/fhir/Patient", summary="The resident as a FHIR R4 Patient (UK Core)")
@requires("residents", "view")
def fhir_patient(request, resident_id: int):
    r = get_object_or_404(Resident.objects.select_related("home").prefetch_related("contacts"), pk=resident_id)
    _read(r, "FHIR Patient (API)")
    return JsonResponse(patient_for(r), content_type="application/fhir+json")
