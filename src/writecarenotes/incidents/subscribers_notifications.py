"""Statutory notifications about a resident, raised from other services' domain events (never their tables).

- ``dols.changed`` (care planning: a liberty record recorded, granted, refused, extended or ended): the
  notifications the home's nation requires for that change (``rules.nations.<nation>.LIBERTY_RULES``),
  with no incident and the resident: in England the outcome of a request for a DoLS standard
  authorisation (CQC, regulation 18(4A) and (4B): the request and its outcome are notified together,
  once the outcome is known: granted, refused or withdrawn); in Wales the request (CIW). Other changes
  and other nations' frameworks require nothing here.

Applied once per liberty record and rule: ``services_notifications.raise_for_liberty`` looks for the
notification first, and the unique constraint ``inc_notif_one_per_source`` refuses a second one if two
deliveries race. There is no user: the audit trail names the system (``acting_as_system``) and the event.
Each handler runs in one transaction with the event's "processed" mark, inside the event's home scope.
Imported by ``wiring_notifications`` (this module's name is not one the event engine discovers).
"""

from __future__ import annotations

from writecarenotes.care_planning.events import LibertyAuthorisationChanged
from writecarenotes.incidents.services_notifications import raise_for_liberty
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber

CONTEXT = "incidents"


@subscriber("dols.changed", context=CONTEXT, name="incidents.notification_for_liberty")
def on_liberty_changed(event: LibertyAuthorisationChanged, envelope: Envelope) -> None:
    with acting_as_system(f"statutory notification for liberty record {event.record_id} ({event.change})"):
        raise_for_liberty(
            home_id=envelope.home_id,
            record_id=event.record_id,
            resident_id=event.resident_id,
            framework=event.framework,
            kind=event.kind,
            change=event.change,
            status=event.status,
            end_on=event.end_on,
            at=envelope.occurred_at,
        )
