"""A reconciliation falls due when a resident is admitted or comes back from hospital (NICE QS85
statement 1: their medicines are listed on the day of the transfer). Learned from residents' domain
events; each handler runs in the event's home scope, applied once (the event id is kept on the row).

A hospital stay opens an "in hospital" reconciliation that becomes due when the resident is back.
"""

from __future__ import annotations

from writecarenotes.medication import services_reconciliation
from writecarenotes.medication.models import Occasion
from writecarenotes.platform.events.api import Envelope, subscriber
from writecarenotes.residents.events import ResidentAbsenceStarted, ResidentAdmitted, ResidentReturned

CONTEXT = "medication"


@subscriber("resident.admitted", context=CONTEXT, name="medication.reconciliation_on_admission")
def on_admitted(event: ResidentAdmitted, envelope: Envelope) -> None:
    services_reconciliation.open_for_event(
        home_id=envelope.home_id,
        resident_id=event.resident_id,
        occasion=Occasion.ADMISSION,
        at=event.admitted_at,
        event_id=str(envelope.event_id),
    )


@subscriber("resident.absence_started", context=CONTEXT, name="medication.reconciliation_hospital_stay")
def on_absence(event: ResidentAbsenceStarted, envelope: Envelope) -> None:
    if event.kind != "hospital":
        return
    services_reconciliation.open_for_event(
        home_id=envelope.home_id,
        resident_id=event.resident_id,
        occasion=Occasion.HOSPITAL_RETURN,
        at=event.started_at,
        event_id=str(envelope.event_id),
        awaiting=True,
    )


@subscriber("resident.returned", context=CONTEXT, name="medication.reconciliation_on_return")
def on_returned(event: ResidentReturned, envelope: Envelope) -> None:
    services_reconciliation.mark_returned(resident_id=event.resident_id, at=event.returned_at)
