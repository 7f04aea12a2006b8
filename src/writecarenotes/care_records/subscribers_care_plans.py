"""The daily-records charts follow the care plan: care planning's events set the chart settings.

When a care plan is agreed (``care_plan.agreed``), changed while in force (``care_plan.changed``) or
archived (``care_plan.archived``), the event carries the chart settings the resident's plans now
imply: the repositioning interval (the shortest asked for), the daily fluid target (the highest)
with the fluid chart on, or ``repositioning_interval_hours: None`` when no plan asks for
repositioning any more. They are applied with ``services_charts.set_chart_settings`` (audited, with
the plan as the reason). Only settings that differ are written, so a second delivery of the same
event, or an event that changes nothing, writes nothing.

Imported by ``CareRecordsConfig.ready()`` (this module's name is not one the event engine discovers).
"""

from __future__ import annotations

from writecarenotes.care_planning.events import CarePlanAgreed, CarePlanArchived, CarePlanChanged
from writecarenotes.care_records.services_charts import SETTING_FIELDS, set_chart_settings, settings_for
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber
from writecarenotes.residents.public import ResidentNotFound, is_current

CONTEXT = "care_records"


def apply_plan_settings(resident_id: int, values: dict, reason: str) -> dict:
    """Write the settings of ``values`` that differ from the resident's; returns what was written."""
    if not values or not is_current(resident_id):
        return {}
    current = settings_for(resident_id)
    changes = {k: v for k, v in values.items() if k in SETTING_FIELDS and getattr(current, k) != v}
    if not changes:
        return {}
    with acting_as_system(reason):
        try:
            set_chart_settings(resident_id=resident_id, values=changes, reason=reason)
        except ResidentNotFound:
            return {}
    return changes


@subscriber("care_plan.agreed", context=CONTEXT, name="care_records.chart_settings_on_plan_agreed")
def on_plan_agreed(event: CarePlanAgreed, envelope: Envelope) -> None:
    apply_plan_settings(
        event.resident_id, event.chart_settings, f"Care plan agreed ({event.domain}, plan {event.plan_id})"
    )


@subscriber("care_plan.changed", context=CONTEXT, name="care_records.chart_settings_on_plan_changed")
def on_plan_changed(event: CarePlanChanged, envelope: Envelope) -> None:
    apply_plan_settings(
        event.resident_id, event.chart_settings, f"Care plan changed ({event.domain}, plan {event.plan_id})"
    )


@subscriber("care_plan.archived", context=CONTEXT, name="care_records.chart_settings_on_plan_archived")
def on_plan_archived(event: CarePlanArchived, envelope: Envelope) -> None:
    apply_plan_settings(
        event.resident_id, event.chart_settings, f"Care plan archived ({event.domain}, plan {event.plan_id})"
    )
