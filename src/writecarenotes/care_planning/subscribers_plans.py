"""What care plans learn from other services' domain events (never their tables).

- ``assessment.band_worsened``: the resident's plans in force whose need the tool's results point to
  (``proposals_plans.RULES``), or that rest on a result of that tool, are due for review now
  (``services_reviews.review_for_band_worsened``). The result id is the trigger: a second delivery
  of the same event changes nothing.
- Incidents (a later service): the hook is ``services_reviews.request_reviews_for_resident`` with
  ``reason="incident"``; subscribe to the incidents service's event here when it exists.

Each handler runs in one transaction with the event's "processed" mark, inside the event's home scope.
Imported by ``CarePlanningConfig.ready()`` (this module's name is not one the event engine discovers).
"""

from __future__ import annotations

from writecarenotes.assessments.events import AssessmentBandWorsened
from writecarenotes.care_planning.services_reviews import review_for_band_worsened
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber

CONTEXT = "care_planning"


@subscriber("assessment.band_worsened", context=CONTEXT, name="care_planning.review_after_band_worsened")
def on_band_worsened(event: AssessmentBandWorsened, envelope: Envelope) -> None:
    with acting_as_system(f"care plan review after {event.tool} band worsened"):
        review_for_band_worsened(event.resident_id, event.tool, event.result_id)
