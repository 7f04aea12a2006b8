"""What care plans learn from other services' domain events (never their tables).

- ``assessment.band_worsened``: the resident's plans in force whose need the tool's results point to
  (``proposals_plans.RULES``), or that rest on a result of that tool, are due for review now
  (``services_reviews.review_for_band_worsened``). The result id is the trigger: a second delivery
  of the same event changes nothing.
- ``incident.reported``: for each resident affected, the plans of the need domains the kind of
  incident concerns (``INCIDENT_DOMAINS``: a fall, mobility and falls and skin integrity) are due for
  review now, with ``reason="incident"``; the incident id is the trigger, so a second delivery
  changes nothing. Kinds not listed (a near miss, a utility failure, a death) ask for no review: the
  manager can still ask for one.

Each handler runs in one transaction with the event's "processed" mark, inside the event's home scope.
Imported by ``CarePlanningConfig.ready()`` (this module's name is not one the event engine discovers).
"""

from __future__ import annotations

from writecarenotes.assessments.events import AssessmentBandWorsened
from writecarenotes.care_planning.models import Domain, ReviewReason
from writecarenotes.care_planning.services_reviews import request_reviews_for_resident, review_for_band_worsened
from writecarenotes.incidents.events import IncidentReported
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber

CONTEXT = "care_planning"


@subscriber("assessment.band_worsened", context=CONTEXT, name="care_planning.review_after_band_worsened")
def on_band_worsened(event: AssessmentBandWorsened, envelope: Envelope) -> None:
    with acting_as_system(f"care plan review after {event.tool} band worsened"):
        review_for_band_worsened(event.resident_id, event.tool, event.result_id)


#: Which plans an incident puts under review, by the incident's type (incidents.models.IncidentType).
#: None: every plan in force (an allegation of abuse touches the whole of a person's care).
INCIDENT_DOMAINS: dict[str, set[str] | None] = {
    "fall": {Domain.MOBILITY, Domain.SKIN},
    "pressure_ulcer": {Domain.SKIN, Domain.NUTRITION, Domain.MOBILITY},
    "skin_tear_injury": {Domain.SKIN, Domain.PERSONAL_CARE},
    "medication_error": {Domain.MEDICATION},
    "controlled_drug": {Domain.MEDICATION},
    "choking": {Domain.NUTRITION},
    "behaviour": {Domain.MENTAL_HEALTH},
    "missing_person": {Domain.COGNITION, Domain.MENTAL_HEALTH},
    "infection_outbreak": {Domain.PERSONAL_CARE},
    "abuse": None,
}


@subscriber("incident.reported", context=CONTEXT, name="care_planning.review_after_incident")
def on_incident_reported(event: IncidentReported, envelope: Envelope) -> None:
    if event.kind not in INCIDENT_DOMAINS:
        return
    domains = INCIDENT_DOMAINS[event.kind]
    with acting_as_system(f"care plan review after incident {event.reference}"):
        for resident_id in event.resident_ids:
            request_reviews_for_resident(
                resident_id,
                reason=ReviewReason.INCIDENT,
                trigger=f"incident:{event.incident_id}",
                domains=None if domains is None else {str(d) for d in domains},
            )
