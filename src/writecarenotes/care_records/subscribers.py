"""Care records' subscribers to residents' lifecycle events: the ResidentMovement read model.

The shift handover shows who was admitted, went to hospital, came back, left or died in a unit;
care records learn it from residents' domain events (never from residents' tables). Each handler
runs inside the event's home scope and in one transaction with the engine's "processed" mark;
``event_id`` is unique and the row is written with get_or_create, so a second delivery of the
same event changes nothing.

With a service profile (ADR 0008) these run in the process that serves care_records.
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from writecarenotes.care_records.models import MovementKind, ResidentMovement
from writecarenotes.platform.events.api import Envelope, subscriber
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.residents.events import (
    ResidentAbsenceStarted,
    ResidentAdmitted,
    ResidentDied,
    ResidentDischarged,
    ResidentReturned,
    ResidentRoomChanged,
)
from writecarenotes.residents.public import ResidentNotFound, get_resident

CONTEXT = "care_records"

ABSENCE_KINDS = {
    "hospital": gettext_lazy("Hospital"),
    "social": gettext_lazy("Social leave"),
    "other": gettext_lazy("Other absence"),
}
DESTINATIONS = {
    "home": gettext_lazy("Own home or family"),
    "care_home": gettext_lazy("Another care home"),
    "hospital": gettext_lazy("Hospital"),
    "other": gettext_lazy("Other"),
}


def _label(labels: dict, value: str) -> str:
    return str(labels.get(value) or value.replace("_", " ").capitalize())


def _unit_at(resident_id: int, at: datetime) -> int | None:
    """The unit the resident was in at ``at``: from the admission or room change before it (events
    may be delivered late, after later moves), else the resident's unit now."""
    before = (
        ResidentMovement.objects.filter(
            resident_id=resident_id,
            kind__in=[MovementKind.ADMITTED, MovementKind.ROOM_CHANGED],
            at__lte=at,
            unit__isnull=False,
        )
        .order_by("-at", "-pk")
        .values_list("unit_id", flat=True)
        .first()
    )
    if before is not None:
        return before
    try:
        return get_resident(resident_id).unit_id
    except ResidentNotFound:
        return None


def _record(
    envelope: Envelope, *, resident_id: int, kind: str, at: datetime, unit_id: int | None, detail: str = ""
) -> ResidentMovement:
    movement, _created = ResidentMovement.objects.get_or_create(
        event_id=envelope.event_id,
        defaults={
            "home_id": envelope.home_id,
            "resident_id": resident_id,
            "kind": kind,
            "at": at,
            "unit_id": unit_id,
            "detail": detail[:200],
        },
    )
    return movement


@subscriber("resident.admitted", context=CONTEXT, name="care_records.movement_admitted")
def on_admitted(event: ResidentAdmitted, envelope: Envelope) -> None:
    room = Room.objects.filter(pk=event.room_id).values_list("number", flat=True).first()
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.ADMITTED,
        at=event.admitted_at,
        unit_id=event.unit_id,
        detail=_("Room %(room)s") % {"room": room} if room else "",
    )


@subscriber("resident.absence_started", context=CONTEXT, name="care_records.movement_absence_started")
def on_absence_started(event: ResidentAbsenceStarted, envelope: Envelope) -> None:
    detail = _label(ABSENCE_KINDS, event.kind)
    if event.expected_return:
        detail = _("%(kind)s, expected back %(date)s") % {
            "kind": detail,
            "date": event.expected_return.strftime("%d %b %Y"),
        }
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.ABSENCE_STARTED,
        at=event.started_at,
        unit_id=_unit_at(event.resident_id, event.started_at),
        detail=detail,
    )


@subscriber("resident.returned", context=CONTEXT, name="care_records.movement_returned")
def on_returned(event: ResidentReturned, envelope: Envelope) -> None:
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.RETURNED,
        at=event.returned_at,
        unit_id=_unit_at(event.resident_id, event.returned_at),
    )


@subscriber("resident.discharged", context=CONTEXT, name="care_records.movement_discharged")
def on_discharged(event: ResidentDischarged, envelope: Envelope) -> None:
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.DISCHARGED,
        at=event.discharged_at,
        unit_id=_unit_at(event.resident_id, event.discharged_at),
        detail=_("To: %(where)s") % {"where": _label(DESTINATIONS, event.destination)},
    )


@subscriber("resident.died", context=CONTEXT, name="care_records.movement_died")
def on_died(event: ResidentDied, envelope: Envelope) -> None:
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.DIED,
        at=event.died_at,
        unit_id=_unit_at(event.resident_id, event.died_at),
        detail=_("Expected death") if event.expected else _("Unexpected death"),
    )


@subscriber("resident.room_changed", context=CONTEXT, name="care_records.movement_room_changed")
def on_room_changed(event: ResidentRoomChanged, envelope: Envelope) -> None:
    rooms = dict(Room.objects.filter(pk__in=[event.from_room_id, event.to_room_id]).values_list("pk", "number"))
    new = rooms.get(event.to_room_id, "")
    old = rooms.get(event.from_room_id, "") if event.from_room_id else ""
    detail = (
        _("From room %(old)s to room %(new)s") % {"old": old, "new": new}
        if old
        else _("To room %(new)s") % {"new": new}
    )
    _record(
        envelope,
        resident_id=event.resident_id,
        kind=MovementKind.ROOM_CHANGED,
        at=envelope.occurred_at,
        unit_id=event.unit_id,
        detail=detail,
    )
