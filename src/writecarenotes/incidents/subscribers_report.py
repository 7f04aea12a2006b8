"""Incidents raised from other services' domain events (never their tables).

- ``care_records.fall_noted``: a note in the daily records flagged as a fall raises a fall incident
  (source "care_note", ``source_ref`` "care_records.note:<id>") marked ``needs_details``: the event
  carries only the resident and the time, so a nurse completes what happened, injuries, witnessed,
  head struck ("Raised from a care note: complete the details").
- ``resident.died``: the death recorded on the resident's record raises a death incident (source
  "resident_died", severity death, ``unexpected_or_unintended`` = the death was not expected), so the
  regulator's death notification and the duty of candour are worked out like any other incident.

- ``medication.error_reported``: a medication error reported on the eMAR raises a "medication error"
  incident (source "medication", ``source_ref`` "medication.error:<id>") with the harm the reporter gave,
  marked ``needs_details`` for a nurse to complete.
- ``medication.cd_discrepancy``: a controlled drugs stock check whose count differs from the register's
  balance raises a "controlled drug discrepancy" incident (``source_ref`` "medication.cd_check:<id>"),
  which the manager investigates (and, in England, reports to the CD accountable officer).

Each is applied once per source record: the handler looks for the incident first, and the unique
constraint ``inc_source_ref_once`` refuses a second one if two deliveries race. There is no system
user: ``reported_by`` is None and the audit trail names the system (``acting_as_system``) and the event.

Each handler runs in one transaction with the event's "processed" mark, inside the event's home scope.
Imported by ``wiring_report`` (this module's name is not one the event engine discovers).
"""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext as _

from writecarenotes.care_records.events import FallNoted
from writecarenotes.incidents.models import Incident, IncidentSource, IncidentType, PersonKind, PersonRole, Severity
from writecarenotes.incidents.services_report import report_incident
from writecarenotes.medication.events import ControlledDrugDiscrepancy, MedicationErrorReported
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber
from writecarenotes.residents.events import ResidentDied
from writecarenotes.residents.public import ResidentNotFound, get_resident

CONTEXT = "incidents"


def _where(ref) -> str:
    if ref.room:
        return _("Room %(room)s") % {"room": ref.room} + (f", {ref.unit_name}" if ref.unit_name else "")
    return ref.unit_name or _("Not recorded yet")


def _already(home_id: int, source: str, source_ref: str) -> Incident | None:
    return Incident.objects.filter(home_id=home_id, source=source, source_ref=source_ref).first()


def raise_from_fall_note(*, note_id: int, resident_id: int, occurred_at: datetime) -> Incident | None:
    """The fall incident of a care note (once per note); None when the resident is not in scope."""
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        return None
    source_ref = f"care_records.note:{note_id}"
    existing = _already(ref.home_id, IncidentSource.CARE_NOTE, source_ref)
    if existing is not None:
        return existing
    with acting_as_system(f"incident raised from the fall in care note {note_id}"):
        return report_incident(
            user=None,
            home_id=ref.home_id,
            values={
                "kind": IncidentType.FALL,
                "occurred_at": occurred_at,
                "unit_id": ref.unit_id,
                "location": _where(ref),
                "what_happened": _(
                    "A fall was recorded in the daily notes. A nurse must complete the details: what happened, "
                    "injuries, whether it was witnessed and whether the head was struck."
                ),
                "severity": Severity.NO_HARM,
            },
            people=[{"role": PersonRole.AFFECTED, "kind": PersonKind.RESIDENT, "resident_id": ref.id}],
            source=IncidentSource.CARE_NOTE,
            source_ref=source_ref,
            needs_details=True,
            require_current=False,
        )


def raise_from_death(*, resident_id: int, died_at: datetime, expected: bool) -> Incident | None:
    """The death incident of a resident (once per resident); None when the resident is not in scope."""
    try:
        ref = get_resident(resident_id)
    except ResidentNotFound:
        return None
    source_ref = f"residents.resident:{resident_id}"
    existing = _already(ref.home_id, IncidentSource.RESIDENT_DIED, source_ref)
    if existing is not None:
        return existing
    text = (
        _("The death of %(name)s was recorded on the resident's record as expected.")
        if expected
        else _("The death of %(name)s was recorded on the resident's record as unexpected.")
    ) % {"name": ref.display_name}
    with acting_as_system(f"incident raised from the death of resident {resident_id}"):
        return report_incident(
            user=None,
            home_id=ref.home_id,
            values={
                "kind": IncidentType.DEATH,
                "occurred_at": died_at,
                "unit_id": ref.unit_id,
                "location": _where(ref),
                "what_happened": text,
                "severity": Severity.DEATH,
                "unexpected_or_unintended": not expected,
            },
            people=[{"role": PersonRole.AFFECTED, "kind": PersonKind.RESIDENT, "resident_id": ref.id}],
            source=IncidentSource.RESIDENT_DIED,
            source_ref=source_ref,
            require_current=False,
        )


@subscriber("care_records.fall_noted", context=CONTEXT, name="incidents.fall_from_care_note")
def on_fall_noted(event: FallNoted, envelope: Envelope) -> None:
    raise_from_fall_note(note_id=event.note_id, resident_id=event.resident_id, occurred_at=event.occurred_at)


@subscriber("resident.died", context=CONTEXT, name="incidents.death_of_resident")
def on_resident_died(event: ResidentDied, envelope: Envelope) -> None:
    raise_from_death(resident_id=event.resident_id, died_at=event.died_at, expected=event.expected)


def raise_from_medication_error(event: MedicationErrorReported, home_id: int) -> Incident | None:
    """The medication error incident of an error report (once per report)."""
    ref = None
    if event.resident_id is not None:
        try:
            ref = get_resident(event.resident_id)
        except ResidentNotFound:
            return None
    source_ref = f"medication.error:{event.error_id}"
    existing = _already(home_id, IncidentSource.MEDICATION, source_ref)
    if existing is not None:
        return existing
    people = [{"role": PersonRole.AFFECTED, "kind": PersonKind.RESIDENT, "resident_id": ref.id}] if ref else []
    with acting_as_system(f"incident raised from medication error report {event.error_id}"):
        return report_incident(
            user=None,
            home_id=home_id,
            values={
                # a medication error incident is about a resident; one that affected nobody (a storage
                # error) is recorded as an "other" incident named for what it was
                "kind": IncidentType.MEDICATION_ERROR if ref else IncidentType.OTHER,
                "other_kind": "" if ref else _("Medication error (no resident affected)"),
                "occurred_at": event.occurred_at,
                "unit_id": ref.unit_id if ref else None,
                "location": _where(ref) if ref else _("Not recorded yet"),
                "what_happened": event.description,
                "severity": event.harm,
            },
            people=people,
            source=IncidentSource.MEDICATION,
            source_ref=source_ref,
            needs_details=True,
            require_current=False,
        )


def raise_from_cd_discrepancy(event: ControlledDrugDiscrepancy, home_id: int) -> Incident:
    """The controlled drug discrepancy incident of a stock check (once per check)."""
    source_ref = f"medication.cd_check:{event.check_id}"
    existing = _already(home_id, IncidentSource.MEDICATION, source_ref)
    if existing is not None:
        return existing
    text = _(
        "A controlled drugs stock check of %(drug)s counted %(counted)s where the register's balance was %(expected)s."
    ) % {"drug": event.drug, "counted": event.counted, "expected": event.expected}
    with acting_as_system(f"incident raised from controlled drugs stock check {event.check_id}"):
        return report_incident(
            user=None,
            home_id=home_id,
            values={
                "kind": IncidentType.CONTROLLED_DRUG,
                "occurred_at": event.occurred_at,
                "location": _("Controlled drugs cupboard"),
                "what_happened": text,
                "severity": Severity.NO_HARM,
            },
            source=IncidentSource.MEDICATION,
            source_ref=source_ref,
            needs_details=True,
            require_current=False,
        )


@subscriber("medication.error_reported", context=CONTEXT, name="incidents.medication_error")
def on_medication_error(event: MedicationErrorReported, envelope: Envelope) -> None:
    raise_from_medication_error(event, envelope.home_id)


@subscriber("medication.cd_discrepancy", context=CONTEXT, name="incidents.cd_discrepancy")
def on_cd_discrepancy(event: ControlledDrugDiscrepancy, envelope: Envelope) -> None:
    raise_from_cd_discrepancy(event, envelope.home_id)
