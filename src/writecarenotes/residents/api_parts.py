"""Residents API, the listed parts of a profile: allergies, diagnoses, contacts and Lasting
Powers of Attorney (mounted by api.py under /api/v1/residents/{resident_id}/...)."""

from datetime import date

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.responses import Status

from writecarenotes.platform.api.concurrency import etag_for, if_match_header
from writecarenotes.platform.api.idempotency import idempotent
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents import services_profile
from writecarenotes.residents.api_common import (  # noqa: F401
    _PATCH,
    AllergyOut,
    AttorneyOut,
    ContactOut,
    DiagnosisOut,
    ReasonIn,
    ResidentDetailOut,
    _detail,
    _read,
    _resident,
)
from writecarenotes.residents.models import Allergy, Contact, Diagnosis, PowerOfAttorney

parts_router = Router(tags=["residents"])

# --- Allergies ------------------------------------------------------------------------------


class AllergyIn(Schema):
    substance: str = Field(None, max_length=120)
    reaction: str = Field("", max_length=200)
    severity: str | None = None
    is_sensitivity: bool = False


@parts_router.get("/{resident_id}/allergies", response=list[AllergyOut], summary="Allergies and sensitivities")
@requires("residents", "view")
def list_allergies(request, resident_id: int):
    r = _resident(resident_id)
    _read(r, "allergies (API)")
    return list(Allergy.objects.filter(resident=r).order_by("ended_at", "substance"))


@parts_router.post("/{resident_id}/allergies", response={201: AllergyOut}, summary="Record an allergy or sensitivity")
@requires("residents", "record")
@idempotent
def add_allergy(request, resident_id: int, payload: AllergyIn):
    return Status(201, services_profile.add_allergy(_resident(resident_id), **payload.dict()))


@parts_router.post(
    "/{resident_id}/allergies/{allergy_id}/end", response=AllergyOut, summary="Remove an allergy (reason)"
)
@requires("residents", "record")
@idempotent
def end_allergy(request, resident_id: int, allergy_id: int, payload: ReasonIn):
    allergy = get_object_or_404(Allergy.objects, pk=allergy_id, resident_id=_resident(resident_id).pk)
    return services_profile.end_allergy(allergy, reason=payload.reason)


@parts_router.post(
    "/{resident_id}/no-known-allergies", response=ResidentDetailOut, summary="Record explicitly: no known allergies"
)
@requires("residents", "record")
@idempotent
def no_known_allergies(request, resident_id: int, response: HttpResponse):
    return _detail(services_profile.record_no_known_allergies(_resident(resident_id)), response)


# --- Diagnoses ------------------------------------------------------------------------------


class DiagnosisIn(Schema):
    condition: str = Field(None, max_length=160)
    status: str | None = None
    diagnosed_on: date | None = None
    notes: str = Field("", max_length=300)


class DiagnosisStatusIn(Schema):
    status: str | None = None
    notes: str = Field("", max_length=300)
    reason: str = Field(None, max_length=300)


@parts_router.get("/{resident_id}/diagnoses", response=list[DiagnosisOut], summary="Diagnoses and medical history")
@requires("residents", "view")
def list_diagnoses(request, resident_id: int):
    r = _resident(resident_id)
    _read(r, "diagnoses (API)")
    return list(Diagnosis.objects.filter(resident=r))


@parts_router.post("/{resident_id}/diagnoses", response={201: DiagnosisOut}, summary="Record a diagnosis")
@requires("residents", "record")
@idempotent
def add_diagnosis(request, resident_id: int, payload: DiagnosisIn):
    return Status(201, services_profile.add_diagnosis(_resident(resident_id), **payload.dict()))


@parts_router.post("/{resident_id}/diagnoses/{diagnosis_id}/status", response=DiagnosisOut, summary="Change its status")
@requires("residents", "record")
@idempotent
def diagnosis_status(request, resident_id: int, diagnosis_id: int, payload: DiagnosisStatusIn):
    d = get_object_or_404(Diagnosis.objects, pk=diagnosis_id, resident_id=_resident(resident_id).pk)
    return services_profile.update_diagnosis(d, **payload.dict())


# --- Contacts -------------------------------------------------------------------------------


class ContactIn(Schema):
    name: str = Field(None, max_length=120)
    relationship: str = Field(None, max_length=60)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)
    next_of_kin: bool = False
    emergency_contact: bool = False
    priority: int = Field(1, ge=1, le=20)


class ContactChanges(Schema):
    reason: str = Field(None, max_length=300)
    name: str = Field(None, max_length=120)
    relationship: str = Field(None, max_length=60)
    phone: str = Field(None, max_length=30)
    email: str = Field(None, max_length=254)
    next_of_kin: bool = None
    emergency_contact: bool = None
    priority: int = Field(None, ge=1, le=20)


@parts_router.get("/{resident_id}/contacts", response=list[ContactOut], summary="Next of kin and contacts, by priority")
@requires("residents", "view")
def list_contacts(request, resident_id: int, include_removed: bool = False):
    r = _resident(resident_id)
    _read(r, "contacts (API)")
    qs = Contact.objects.filter(resident=r)
    return list(qs if include_removed else qs.filter(is_active=True))


@parts_router.post("/{resident_id}/contacts", response={201: ContactOut}, summary="Add a contact")
@requires("residents", "record")
@idempotent
def add_contact(request, resident_id: int, payload: ContactIn):
    return Status(201, services_profile.add_contact(_resident(resident_id), **payload.dict()))


@parts_router.patch("/{resident_id}/contacts/{contact_id}", response=ContactOut, summary="Change a contact", **_PATCH)
@requires("residents", "record")
def update_contact(request, resident_id: int, contact_id: int, payload: ContactChanges, response: HttpResponse):
    from writecarenotes.platform.api.concurrency import check_if_match

    contact = get_object_or_404(Contact.objects, pk=contact_id, resident_id=_resident(resident_id).pk)
    check_if_match(if_match_header(request), etag_for(contact))
    values = payload.dict(exclude_unset=True)
    c = services_profile.update_contact(contact, **values)
    response["ETag"] = etag_for(c)
    return c


@parts_router.post(
    "/{resident_id}/contacts/{contact_id}/remove", response=ContactOut, summary="Remove a contact (reason)"
)
@requires("residents", "record")
@idempotent
def remove_contact(request, resident_id: int, contact_id: int, payload: ReasonIn):
    contact = get_object_or_404(Contact.objects, pk=contact_id, resident_id=_resident(resident_id).pk)
    return services_profile.remove_contact(contact, reason=payload.reason)


# --- Lasting Power of Attorney --------------------------------------------------------------


class AttorneyIn(Schema):
    kind: str | None = None
    attorney_name: str = Field(None, max_length=120)
    registered_on: date | None = None


@parts_router.get("/{resident_id}/attorneys", response=list[AttorneyOut], summary="Lasting Powers of Attorney")
@requires("residents", "view")
def list_attorneys(request, resident_id: int):
    r = _resident(resident_id)
    _read(r, "LPA (API)")
    return list(PowerOfAttorney.objects.filter(resident=r))


@parts_router.post("/{resident_id}/attorneys", response={201: AttorneyOut}, summary="Record an LPA")
@requires("residents", "manage")
@idempotent
def add_attorney(request, resident_id: int, payload: AttorneyIn):
    return Status(201, services_profile.add_attorney(_resident(resident_id), **payload.dict()))


@parts_router.post("/{resident_id}/attorneys/{lpa_id}/end", response=AttorneyOut, summary="End an LPA (reason)")
@requires("residents", "manage")
@idempotent
def end_attorney(request, resident_id: int, lpa_id: int, payload: ReasonIn):
    lpa = get_object_or_404(PowerOfAttorney.objects, pk=lpa_id, resident_id=_resident(resident_id).pk)
    return services_profile.end_attorney(lpa, reason=payload.reason)
