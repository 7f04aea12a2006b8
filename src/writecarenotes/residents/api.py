from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from writecarenotes.platform.audit.services import record_read
from writecarenotes.platform.identity.permissions import requires
from writecarenotes.residents.models import Resident
from writecarenotes.residents.views import search

router = Router(tags=["residents"])


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


@router.get("/", response=list[ResidentOut], summary="Residents of the active home (current ones unless searching)")
@paginate(LimitOffsetPagination)
@requires("residents", "view")
def list_residents(request, q: str = ""):
    return search(q)


@router.get("/{resident_id}", response=ResidentOut, summary="One resident")
@requires("residents", "view")
def get_resident(request, resident_id: int):
    resident = get_object_or_404(Resident.objects.select_related("unit", "room"), pk=resident_id)
    record_read(
        "residents.resident", resident.pk, home=resident.home_id, part="profile (API)", label=resident.display_name
    )
    return resident
