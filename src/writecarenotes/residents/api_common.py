"""Schemas and helpers shared by the residents API modules (api.py, api_parts.py)."""

from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.responses import Status

from writecarenotes.platform.api.concurrency import etag_for
from writecarenotes.platform.audit.services import record_read
from writecarenotes.residents.models import Resident

_IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": "The ETag of the resident as you last read it. Missing: 428. Stale: 412.",
    "schema": {"type": "string"},
}


class ResidentOut(Schema):
    id: int
    home_id: int
    display_name: str
    legal_given_names: str
    legal_family_name: str
    date_of_birth: date
    nhs_number: str
    status: str
    unit: str | None
    room: str | None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name if obj.unit_id else None

    @staticmethod
    def resolve_room(obj):
        return obj.room.number if obj.room_id else None


class AllergyOut(Schema):
    id: int
    substance: str
    reaction: str
    severity: str
    is_sensitivity: bool
    ended_at: datetime | None
    end_reason: str


class DiagnosisOut(Schema):
    id: int
    condition: str
    diagnosed_on: date | None
    status: str
    notes: str


class ContactOut(Schema):
    id: int
    name: str
    relationship: str
    phone: str
    email: str
    next_of_kin: bool
    emergency_contact: bool
    priority: int
    is_active: bool


class AttorneyOut(Schema):
    id: int
    kind: str
    attorney_name: str
    registered_on: date | None
    has_document: bool
    is_active: bool

    @staticmethod
    def resolve_has_document(obj):
        return bool(obj.document)


class ResidentDetailOut(ResidentOut):
    preferred_name: str
    pronouns: str
    unit_id: int | None
    room_id: int | None
    has_photo: bool
    enquiry_on: date | None
    pre_admission_on: date | None
    pre_admission_by: str
    pre_admission_summary: str
    pre_admission_outcome: str
    admitted_at: datetime | None
    absence_kind: str
    absence_started_at: datetime | None
    absence_expected_return: date | None
    discharged_at: datetime | None
    discharge_destination: str
    discharge_reason: str
    died_at: datetime | None
    death_verified_by: str
    death_verified_role: str
    death_expected: bool | None
    death_place: str
    gp_practice_name: str
    gp_ods_code: str
    gp_phone: str
    funding_type: str
    religion: str
    first_language: str
    interpreter_needed: bool
    communication_needs: str
    height_cm: Decimal | None
    no_known_allergies: bool
    dnacpr_status: str
    dnacpr_decided_on: date | None
    dnacpr_review_on: date | None
    has_dnacpr_document: bool
    preferences: str
    about_me: str
    version: int

    @staticmethod
    def resolve_has_photo(obj):
        return bool(obj.photo)

    @staticmethod
    def resolve_has_dnacpr_document(obj):
        return bool(obj.dnacpr_document)


def _resident(resident_id: int) -> Resident:
    return get_object_or_404(Resident.objects.select_related("unit", "room", "home"), pk=resident_id)


def _read(resident: Resident, part: str) -> None:
    record_read("residents.resident", resident.pk, home=resident.home_id, part=part, label=resident.display_name)


def _detail(resident: Resident, response: HttpResponse, status: int = 200):
    resident = _resident(resident.pk)
    response["ETag"] = etag_for(resident)
    return Status(status, resident) if status != 200 else resident


_PATCH = {"openapi_extra": {"parameters": [_IF_MATCH]}}


class ReasonIn(Schema):
    reason: str = Field(None, max_length=300)
