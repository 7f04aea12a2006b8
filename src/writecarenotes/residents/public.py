"""What other contexts may know about residents (import-linter: contexts import only this module
and ``residents.events``). Reads go through the scoped manager: call inside a request's scope or
``tenancy.scope.acting_for([...])``; another home's resident is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from writecarenotes.residents.models import Resident, ResidentStatus

__all__ = ["CURRENT_STATUSES", "ResidentNotFound", "ResidentRef", "current_residents", "get_resident", "is_current"]

#: Residents for whom care is recorded: in residence, or temporarily away (late entries, leave).
CURRENT_STATUSES = (ResidentStatus.IN_RESIDENCE.value, ResidentStatus.TEMPORARILY_ABSENT.value)


class ResidentNotFound(LookupError):
    """No such resident in the active scope."""


@dataclass(frozen=True)
class ResidentRef:
    id: int
    home_id: int
    unit_id: int | None
    unit_name: str
    room: str
    display_name: str
    date_of_birth: date
    nhs_number: str
    status: str
    height_cm: float | None

    @property
    def is_current(self) -> bool:
        """True when care can be recorded for the resident (in residence or temporarily away)."""
        return self.status in CURRENT_STATUSES


def _ref(r: Resident) -> ResidentRef:
    return ResidentRef(
        id=r.pk,
        home_id=r.home_id,
        unit_id=r.unit_id,
        unit_name=r.unit.name if r.unit_id else "",
        room=r.room.number if r.room_id else "",
        display_name=r.display_name,
        date_of_birth=r.date_of_birth,
        nhs_number=r.nhs_number,
        status=r.status,
        height_cm=float(r.height_cm) if r.height_cm is not None else None,
    )


#: the columns a ResidentRef needs (a resident's row is wide: profile, health, documents)
_REF_FIELDS = (
    "id",
    "home_id",
    "unit_id",
    "room_id",
    "unit__name",
    "room__number",
    "preferred_name",
    "legal_given_names",
    "legal_family_name",
    "date_of_birth",
    "nhs_number",
    "status",
    "height_cm",
)


def get_resident(pk: int) -> ResidentRef:
    """The resident ``pk`` in the active scope; raises ResidentNotFound (a 404 to callers)."""
    try:
        return _ref(Resident.objects.select_related("unit", "room").only(*_REF_FIELDS).get(pk=pk))
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise ResidentNotFound(pk) from None


def current_residents(unit_id: int | None = None) -> list[ResidentRef]:
    """Residents in residence or temporarily away, by unit, room and name."""
    qs = Resident.objects.select_related("unit", "room").only(*_REF_FIELDS).filter(status__in=CURRENT_STATUSES)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return [_ref(r) for r in qs.order_by("unit__sort_order", "room__number", "legal_family_name")]


def is_current(pk: int) -> bool:
    """True when care can be recorded for the resident (in residence or temporarily away)."""
    return Resident.objects.filter(pk=pk, status__in=CURRENT_STATUSES).exists()
