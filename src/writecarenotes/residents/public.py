"""What other contexts may know about residents (import-linter: contexts import only this module
and ``residents.events``). Reads go through the scoped manager: call inside a request's scope or
``tenancy.scope.acting_for([...])``; another home's resident is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from writecarenotes.residents.models import Resident, ResidentStatus

__all__ = [
    "CURRENT_STATUSES",
    "ResidentNotFound",
    "ResidentRef",
    "Resuscitation",
    "current_residents",
    "exists",
    "get_resident",
    "is_current",
    "resuscitation",
]

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
#: the same, read as a row (no model instance: the cheapest read of the recording path)
_ROW_FIELDS = tuple(f for f in _REF_FIELDS if f != "room_id")


def _ref_from_row(row: dict) -> ResidentRef:
    return ResidentRef(
        id=row["id"],
        home_id=row["home_id"],
        unit_id=row["unit_id"],
        unit_name=row["unit__name"] or "",
        room=row["room__number"] or "",
        display_name=Resident.display_name_of(
            row["preferred_name"], row["legal_given_names"], row["legal_family_name"]
        ),
        date_of_birth=row["date_of_birth"],
        nhs_number=row["nhs_number"],
        status=row["status"],
        height_cm=float(row["height_cm"]) if row["height_cm"] is not None else None,
    )


def get_resident(pk: int) -> ResidentRef:
    """The resident ``pk`` in the active scope; raises ResidentNotFound (a 404 to callers)."""
    try:
        row = Resident.objects.filter(pk=pk).values(*_ROW_FIELDS).first()
    except (ValueError, TypeError):
        row = None
    if row is None:
        raise ResidentNotFound(pk)
    return _ref_from_row(row)


def exists(pk: int) -> bool:
    """True when the resident ``pk`` is in the active scope (cheaper than get_resident)."""
    try:
        return Resident.objects.filter(pk=pk).exists()
    except (ValueError, TypeError):
        return False


def current_residents(unit_id: int | None = None) -> list[ResidentRef]:
    """Residents in residence or temporarily away, by unit, room and name."""
    qs = Resident.objects.select_related("unit", "room").only(*_REF_FIELDS).filter(status__in=CURRENT_STATUSES)
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    return [_ref(r) for r in qs.order_by("unit__sort_order", "room__number", "legal_family_name")]


def is_current(pk: int) -> bool:
    """True when care can be recorded for the resident (in residence or temporarily away)."""
    return Resident.objects.filter(pk=pk, status__in=CURRENT_STATUSES).exists()


@dataclass(frozen=True)
class Resuscitation:
    """The resident's DNACPR / ReSPECT record, as the profile holds it."""

    status: str  # "" (not recorded) or a DnacprStatus value
    status_label: str
    decided_on: date | None
    review_on: date | None
    has_document: bool


def resuscitation(pk: int) -> Resuscitation:
    """The DNACPR / ReSPECT status of the resident ``pk`` in the active scope (ResidentNotFound)."""
    r = (
        Resident.objects.filter(pk=pk)
        .only("id", "home_id", "dnacpr_status", "dnacpr_decided_on", "dnacpr_review_on", "dnacpr_document")
        .first()
    )
    if r is None:
        raise ResidentNotFound(pk)
    return Resuscitation(
        status=r.dnacpr_status,
        status_label=str(r.get_dnacpr_status_display()) if r.dnacpr_status else "",
        decided_on=r.dnacpr_decided_on,
        review_on=r.dnacpr_review_on,
        has_document=bool(r.dnacpr_document),
    )


@dataclass(frozen=True)
class AllergyRef:
    """A recorded allergy or sensitivity still in force (ended ones are left out)."""

    id: int
    substance: str
    reaction: str
    severity: str  # AllergySeverity value
    is_sensitivity: bool


@dataclass(frozen=True)
class AllergyStatus:
    """What the profile says about allergies: the list, and whether "no known allergies" was recorded
    (an empty list without it means nobody has asked yet)."""

    allergies: tuple[AllergyRef, ...]
    no_known_allergies: bool

    @property
    def recorded(self) -> bool:
        return bool(self.allergies) or self.no_known_allergies


def allergies(pk: int) -> AllergyStatus:
    """The allergies in force of the resident ``pk`` in the active scope (ResidentNotFound)."""
    from writecarenotes.residents.models import Allergy

    flag = Resident.objects.filter(pk=pk).values_list("no_known_allergies", flat=True).first()
    if flag is None:
        raise ResidentNotFound(pk)
    rows = Allergy.objects.filter(resident_id=pk, ended_at__isnull=True).order_by("substance")
    return AllergyStatus(
        allergies=tuple(
            AllergyRef(
                id=a.pk,
                substance=a.substance,
                reaction=a.reaction,
                severity=a.severity,
                is_sensitivity=a.is_sensitivity,
            )
            for a in rows
        ),
        no_known_allergies=bool(flag),
    )


__all__ += ["AllergyRef", "AllergyStatus", "allergies"]


def get_resident_or_404(pk: int) -> ResidentRef:
    """``get_resident`` for pages and API operations: a resident outside the active scope is a 404."""
    from django.http import Http404
    from django.utils.translation import gettext as _

    try:
        return get_resident(pk)
    except ResidentNotFound:
        raise Http404(_("No such resident.")) from None


__all__ += ["get_resident_or_404"]
