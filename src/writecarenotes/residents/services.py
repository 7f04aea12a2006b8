"""The resident's lifecycle: named, guarded transitions (ARCHITECTURE.md "How a change flows").

    enquiry --record_pre_admission--> pre_admission --admit--> in_residence
    in_residence --start_absence--> temporarily_absent --record_return--> in_residence
    in_residence | temporarily_absent --discharge--> discharged
    in_residence | temporarily_absent --record_death--> deceased
    in_residence | temporarily_absent --change_room--> (same status, another room)

Each transition runs in one transaction: lock the resident, check the guard (a refused
transition raises ValidationError with a message a person can act on: 422 on the API, field
messages on pages), write the row and its new version (audit.save_version: the audit record
has the resident as subject), add a milestone to the care journey, publish the typed event.
A room never holds more current residents (in residence or away with the bed held) than beds.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from writecarenotes.platform.audit.versions import save_version
from writecarenotes.platform.events.api import publish
from writecarenotes.platform.tenancy.models import CareHome, Room
from writecarenotes.residents import events
from writecarenotes.residents.models import (
    AbsenceKind,
    DischargeDestination,
    Milestone,
    PreAdmissionOutcome,
    Resident,
    ResidentStatus,
)
from writecarenotes.residents.nhs_number import duplicate_message, duplicate_of, validate_health_number

S = ResidentStatus
CURRENT = (S.IN_RESIDENCE, S.TEMPORARILY_ABSENT)
#: Clock skew tolerated for "not in the future" (a phone a little ahead of the server).
FUTURE_TOLERANCE = timedelta(minutes=5)


def _refuse(field: str | None, message: str):
    raise ValidationError({field: [message]} if field else message)


def _not_future(value: datetime | date, field: str) -> None:
    now = timezone.now()
    if isinstance(value, datetime):
        if value > now + FUTURE_TOLERANCE:
            _refuse(field, _("This cannot be in the future."))
    elif value > timezone.localdate():
        _refuse(field, _("This cannot be in the future."))


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _lock(resident: Resident) -> Resident:
    return Resident.objects.select_for_update(of=("self",)).select_related("home", "unit", "room").get(pk=resident.pk)


def _require_status(resident: Resident, allowed: tuple, doing: str) -> None:
    if resident.status not in allowed:
        _refuse(
            None,
            _("%(name)s is %(status)s: you cannot %(doing)s.")
            % {"name": resident.display_name, "status": resident.get_status_display().lower(), "doing": doing},
        )


def _commit(resident: Resident, *, action: str, reason: str, kind: str, at, title: str, text: str = "", user=None):
    resident.version += 1
    resident.save()
    save_version(resident, reason=reason, action=f"residents.resident.{action}")
    Milestone.objects.create(
        home_id=resident.home_id, resident=resident, kind=kind, at=at, title=title, text=text, recorded_by=user
    )


def _check_bed(room: Room, resident: Resident, home_id: int) -> Room:
    """The room locked, in the resident's home, with a free bed for them (else ValidationError)."""
    try:
        room = Room.objects.select_for_update().select_related("unit").get(pk=getattr(room, "pk", room))
    except (Room.DoesNotExist, ValueError, TypeError):
        _refuse("room", _("Choose a room of this home."))
    if room.home_id != home_id:
        _refuse("room", _("Choose a room of this home."))
    taken = Resident.objects.filter(room=room, status__in=CURRENT).exclude(pk=resident.pk).count()
    if taken >= room.beds:
        _refuse(
            "room",
            _("Room %(room)s has no free bed.") % {"room": room.number},
        )
    return room


def free_rooms(home_id: int | None = None) -> list[Room]:
    """Rooms (of the scope, or of one home) with at least one free bed, with ``free`` set."""
    from django.db.models import Count, Q

    qs = Room.objects.select_related("unit").annotate(taken=Count("residents", filter=Q(residents__status__in=CURRENT)))
    if home_id is not None:
        qs = qs.filter(home_id=home_id)
    rooms = []
    for room in qs.order_by("unit__sort_order", "number"):
        room.free = room.beds - room.taken
        if room.free > 0:
            rooms.append(room)
    return rooms


# --- Transitions ---------------------------------------------------------------------------


def create_enquiry(
    *,
    home: CareHome | int,
    legal_given_names: str,
    legal_family_name: str,
    date_of_birth: date,
    preferred_name: str = "",
    nhs_number: str = "",
    enquiry_on: date | None = None,
    enquiry_notes: str = "",
    user=None,
) -> Resident:
    """A new person enquiring about a place (status enquiry)."""
    home = home if isinstance(home, CareHome) else CareHome.objects.get(pk=home)
    errors: dict[str, list[str]] = {}
    if not (legal_given_names or "").strip():
        errors["legal_given_names"] = [_("Enter the given names.")]
    if not (legal_family_name or "").strip():
        errors["legal_family_name"] = [_("Enter the family name.")]
    if date_of_birth is None:
        errors["date_of_birth"] = [_("Enter the date of birth.")]
    elif date_of_birth > timezone.localdate() or date_of_birth < date(1900, 1, 1):
        errors["date_of_birth"] = [_("Enter a real date of birth.")]
    try:
        nhs_number = validate_health_number(nhs_number, home.nation, date_of_birth)
    except ValidationError as exc:
        errors["nhs_number"] = exc.messages
    else:
        other = duplicate_of(nhs_number, home.pk)
        if other is not None:
            errors["nhs_number"] = [duplicate_message(other)]
    if errors:
        raise ValidationError(errors)
    enquiry_on = enquiry_on or timezone.localdate()
    with transaction.atomic():
        resident = Resident.objects.create(
            home=home,
            legal_given_names=legal_given_names.strip(),
            legal_family_name=legal_family_name.strip(),
            preferred_name=(preferred_name or "").strip(),
            date_of_birth=date_of_birth,
            nhs_number=nhs_number,
            status=S.ENQUIRY,
            enquiry_on=enquiry_on,
            enquiry_notes=enquiry_notes or "",
        )
        save_version(resident, action="residents.resident.enquiry_created")
        Milestone.objects.create(
            home=home,
            resident=resident,
            kind="enquiry",
            at=timezone.now(),
            title=_("Enquiry"),
            text=enquiry_notes or "",
            recorded_by=user,
        )
        publish(events.ResidentEnquiryCreated(resident_id=resident.pk), home=home.pk)
    return resident


def record_pre_admission(
    resident: Resident, *, assessed_on: date, assessed_by: str, summary: str, outcome: str, user=None
) -> Resident:
    """The pre-admission assessment (again, if reassessed before admission)."""
    if outcome not in PreAdmissionOutcome.values:
        _refuse("outcome", _("Choose the outcome of the assessment."))
    if not (assessed_by or "").strip():
        _refuse("assessed_by", _("Enter who assessed."))
    if not (summary or "").strip():
        _refuse("summary", _("Write a summary of the assessment."))
    if assessed_on is None:
        _refuse("assessed_on", _("Enter the date of the assessment."))
    _not_future(assessed_on, "assessed_on")
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, (S.ENQUIRY, S.PRE_ADMISSION), _("record a pre-admission assessment"))
        r.status = S.PRE_ADMISSION
        r.pre_admission_on, r.pre_admission_by = assessed_on, assessed_by.strip()
        r.pre_admission_summary, r.pre_admission_outcome = summary.strip(), outcome
        _commit(
            r,
            action="pre_admission_assessed",
            reason=_("Pre-admission assessment"),
            kind="pre_admission",
            at=_aware(datetime.combine(assessed_on, datetime.min.time())),
            title=_("Pre-admission assessment: %(outcome)s") % {"outcome": r.get_pre_admission_outcome_display()},
            text=r.pre_admission_summary,
            user=user,
        )
        publish(
            events.ResidentPreAdmissionAssessed(resident_id=r.pk, assessed_on=assessed_on, outcome=outcome),
            home=r.home_id,
        )
    return r


def admit(resident: Resident, *, room: Room | int, admitted_at: datetime, user=None) -> Resident:
    """Admit into a room with a free bed. Needs a pre-admission assessment found suitable."""
    if admitted_at is None:
        _refuse("admitted_at", _("Enter the date and time of admission."))
    admitted_at = _aware(admitted_at)
    _not_future(admitted_at, "admitted_at")
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, (S.PRE_ADMISSION,), _("admit them (record a pre-admission assessment first)"))
        if r.pre_admission_outcome != PreAdmissionOutcome.SUITABLE:
            _refuse(None, _("The pre-admission assessment found the home unsuitable: reassess before admitting."))
        if r.pre_admission_on and admitted_at.date() < r.pre_admission_on:
            _refuse("admitted_at", _("Admission cannot be before the pre-admission assessment."))
        room = _check_bed(room, r, r.home_id)
        r.status, r.room, r.unit = S.IN_RESIDENCE, room, room.unit
        r.admitted_at, r.admitted_on = admitted_at, timezone.localtime(admitted_at).date()
        _commit(
            r,
            action="admitted",
            reason=_("Admission"),
            kind="admitted",
            at=admitted_at,
            title=_("Admitted to room %(room)s (%(unit)s)") % {"room": room.number, "unit": room.unit.name},
            user=user,
        )
        publish(
            events.ResidentAdmitted(resident_id=r.pk, admitted_at=admitted_at, unit_id=room.unit_id, room_id=room.pk),
            home=r.home_id,
        )
    return r


def start_absence(
    resident: Resident,
    *,
    kind: str,
    started_at: datetime,
    expected_return: date | None = None,
    reason: str = "",
    user=None,
) -> Resident:
    """Hospital or social leave: the bed stays held."""
    if kind not in AbsenceKind.values:
        _refuse("kind", _("Choose where the resident is going."))
    if started_at is None:
        _refuse("started_at", _("Enter when they left."))
    started_at = _aware(started_at)
    _not_future(started_at, "started_at")
    if expected_return is not None and expected_return < timezone.localtime(started_at).date():
        _refuse("expected_return", _("The expected return cannot be before they left."))
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, (S.IN_RESIDENCE,), _("record an absence"))
        if r.admitted_at and started_at < r.admitted_at:
            _refuse("started_at", _("The absence cannot start before admission."))
        r.status, r.absence_kind, r.absence_started_at = S.TEMPORARILY_ABSENT, kind, started_at
        r.absence_expected_return, r.absence_reason = expected_return, (reason or "").strip()
        _commit(
            r,
            action="absence_started",
            reason=_("Temporary absence"),
            kind="absence",
            at=started_at,
            title=_("Left for %(kind)s (bed held)") % {"kind": r.get_absence_kind_display().lower()},
            text=r.absence_reason,
            user=user,
        )
        publish(
            events.ResidentAbsenceStarted(
                resident_id=r.pk, started_at=started_at, kind=kind, expected_return=expected_return
            ),
            home=r.home_id,
        )
    return r


def record_return(resident: Resident, *, returned_at: datetime, user=None) -> Resident:
    """Back from hospital or leave, into the held bed."""
    if returned_at is None:
        _refuse("returned_at", _("Enter when they came back."))
    returned_at = _aware(returned_at)
    _not_future(returned_at, "returned_at")
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, (S.TEMPORARILY_ABSENT,), _("record a return"))
        if r.absence_started_at and returned_at < r.absence_started_at:
            _refuse("returned_at", _("The return cannot be before they left."))
        r.status = S.IN_RESIDENCE
        r.absence_kind, r.absence_started_at, r.absence_expected_return, r.absence_reason = "", None, None, ""
        _commit(
            r, action="returned", reason=_("Return"), kind="returned", at=returned_at, title=_("Returned"), user=user
        )
        publish(events.ResidentReturned(resident_id=r.pk, returned_at=returned_at), home=r.home_id)
    return r


def discharge(resident: Resident, *, discharged_at: datetime, destination: str, reason: str, user=None) -> Resident:
    """Leaves the home for good (the bed is freed; room and unit stay on the record)."""
    if destination not in DischargeDestination.values:
        _refuse("destination", _("Choose where the resident is going."))
    if not (reason or "").strip():
        _refuse("reason", _("Enter the reason for discharge."))
    if discharged_at is None:
        _refuse("discharged_at", _("Enter the date and time of discharge."))
    discharged_at = _aware(discharged_at)
    _not_future(discharged_at, "discharged_at")
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, CURRENT, _("discharge them"))
        if r.admitted_at and discharged_at < r.admitted_at:
            _refuse("discharged_at", _("Discharge cannot be before admission."))
        r.status, r.discharged_at, r.discharge_destination = S.DISCHARGED, discharged_at, destination
        r.discharge_reason = reason.strip()
        _commit(
            r,
            action="discharged",
            reason=reason.strip(),
            kind="discharged",
            at=discharged_at,
            title=_("Discharged to %(where)s") % {"where": r.get_discharge_destination_display().lower()},
            text=r.discharge_reason,
            user=user,
        )
        publish(
            events.ResidentDischarged(resident_id=r.pk, discharged_at=discharged_at, destination=destination),
            home=r.home_id,
        )
    return r


def record_death(
    resident: Resident,
    *,
    died_at: datetime,
    verified_by: str,
    verified_role: str,
    expected: bool,
    place: str,
    user=None,
) -> Resident:
    """The death of a resident (in the home, or while away in hospital)."""
    if died_at is None:
        _refuse("died_at", _("Enter the date and time of death."))
    if not (verified_by or "").strip():
        _refuse("verified_by", _("Enter who verified the death."))
    if not (verified_role or "").strip():
        _refuse("verified_role", _("Enter the role of the person who verified the death."))
    if expected is None:
        _refuse("expected", _("Say whether the death was expected."))
    if not (place or "").strip():
        _refuse("place", _("Enter the place of death."))
    died_at = _aware(died_at)
    _not_future(died_at, "died_at")
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, CURRENT, _("record a death"))
        if r.admitted_at and died_at < r.admitted_at:
            _refuse("died_at", _("The time of death cannot be before admission."))
        r.status, r.died_at, r.death_expected = S.DECEASED, died_at, bool(expected)
        r.death_verified_by, r.death_verified_role, r.death_place = (
            verified_by.strip(),
            verified_role.strip(),
            place.strip(),
        )
        _commit(
            r,
            action="died",
            reason=_("Death"),
            kind="died",
            at=died_at,
            title=_("Died (%(expected)s)") % {"expected": _("expected") if expected else _("unexpected")},
            text=_("Verified by %(who)s (%(role)s), %(place)s")
            % {"who": r.death_verified_by, "role": r.death_verified_role, "place": r.death_place},
            user=user,
        )
        publish(events.ResidentDied(resident_id=r.pk, died_at=died_at, expected=bool(expected)), home=r.home_id)
    return r


def change_room(resident: Resident, *, room: Room | int, reason: str, user=None) -> Resident:
    """Move to another room with a free bed (the old bed is freed)."""
    if not (reason or "").strip():
        _refuse("reason", _("Enter the reason for the move."))
    with transaction.atomic():
        r = _lock(resident)
        _require_status(r, CURRENT, _("change their room"))
        new = _check_bed(room, r, r.home_id)
        if new.pk == r.room_id:
            _refuse("room", _("This is already their room."))
        old_id, old_number = r.room_id, (r.room.number if r.room_id else "")
        r.room, r.unit = new, new.unit
        _commit(
            r,
            action="room_changed",
            reason=reason.strip(),
            kind="room_changed",
            at=timezone.now(),
            title=_("Moved from room %(old)s to room %(new)s") % {"old": old_number or "–", "new": new.number},
            text=reason.strip(),
            user=user,
        )
        publish(
            events.ResidentRoomChanged(resident_id=r.pk, from_room_id=old_id, to_room_id=new.pk, unit_id=new.unit_id),
            home=r.home_id,
        )
    return r
