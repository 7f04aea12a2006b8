"""What makes assessments due, learnt from other services' domain events (never their tables).

- ``resident.admitted``: every tool in use with the "admission" trigger is due on the day of admission.
- ``care_records.fall_noted``: every tool in use with the "fall" trigger (Morse, Barthel, 4AT ...) is
  due now; and the same for each resident affected by an ``incident.reported`` of kind "fall".
- ``care_records.chart_entry_recorded`` for a weight (and ``care_records.entry_corrected`` of one):
  when the resident has lost 5% or more of their weight against any weight recorded in the 6 months
  before, tools with the "weight_loss" trigger (MUST) are due now. MUST step 2 scores unplanned
  weight loss "in the past 3-6 months" (5-10% scores 1, over 10% scores 2: BAPEN, the 'MUST'
  Explanatory Booklet, 2003, revised 2011), so a loss of 5% within that time is the point at which
  the screen must be repeated.

The "band_worsened" trigger declared by most tools has no subscriber yet: making every tool with it
due whenever any band worsens would put a dozen assessments on the list at once.
``assessment.band_worsened`` is published for care planning and alerts to act on.

Each handler runs in one transaction with the event's "processed" mark, inside the event's home
scope. ``services_due.mark_due`` never postpones an earlier due date and changes nothing when the
tool was assessed after the event, so a redelivered event changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from writecarenotes.assessments.config import enabled_with_trigger
from writecarenotes.assessments.models import DueReason
from writecarenotes.assessments.services_due import mark_due
from writecarenotes.care_records.events import ChartEntryRecorded, EntryCorrected, FallNoted
from writecarenotes.care_records.public import weights
from writecarenotes.incidents.events import IncidentReported
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events.api import Envelope, subscriber
from writecarenotes.residents.events import ResidentAdmitted
from writecarenotes.residents.public import ResidentNotFound, is_current

CONTEXT = "assessments"
#: A loss of this much (per cent) against a weight of the last WEIGHT_WINDOW makes MUST due.
WEIGHT_LOSS_PERCENT = Decimal(5)
WEIGHT_WINDOW = timedelta(days=183)


def _mark(resident_id: int, reason: str, happened_at: datetime) -> list[str]:
    """Make every tool in use with the trigger due (today, or the day it happened if later)."""
    if not is_current(resident_id):
        return []  # discharged or died since: nothing is due
    marked = []
    due_on = max(timezone.localdate(), timezone.localdate(happened_at))
    with acting_as_system(f"assessments due after {reason}"):
        for conf in enabled_with_trigger(reason):
            try:
                row = mark_due(resident_id, conf.slug, reason, due_on, requested_at=happened_at)
            except ResidentNotFound:
                return marked
            if row is not None:
                marked.append(conf.slug)
    return marked


@subscriber("resident.admitted", context=CONTEXT, name="assessments.due_on_admission")
def on_admitted(event: ResidentAdmitted, envelope: Envelope) -> None:
    if not is_current(event.resident_id):
        return
    due_on = timezone.localdate(event.admitted_at)
    with acting_as_system("assessments due on admission"):
        for conf in enabled_with_trigger(DueReason.ADMISSION):
            mark_due(event.resident_id, conf.slug, DueReason.ADMISSION, due_on, requested_at=event.admitted_at)


@subscriber("care_records.fall_noted", context=CONTEXT, name="assessments.due_after_fall")
def on_fall(event: FallNoted, envelope: Envelope) -> None:
    _mark(event.resident_id, DueReason.FALL, event.occurred_at)


@subscriber("incident.reported", context=CONTEXT, name="assessments.due_after_fall_incident")
def on_fall_incident(event: IncidentReported, envelope: Envelope) -> None:
    """A fall reported as an incident (not only through a care note): the same tools are due for each
    resident affected. A fall raised from a care note arrives twice (the note, then its incident);
    ``mark_due`` changes nothing the second time."""
    if event.kind != "fall":
        return
    for resident_id in event.resident_ids:
        _mark(resident_id, DueReason.FALL, event.occurred_at)


def weight_loss_percent(series: list[tuple[datetime, Decimal]], at: datetime) -> Decimal | None:
    """Per cent lost by the weight at ``at`` against the heaviest weight of the WEIGHT_WINDOW before it
    (None when there is no earlier weight; negative: a gain). Rounded half-up to 0.1."""
    current = [kg for when, kg in series if when == at]
    earlier = [Decimal(str(kg)) for when, kg in series if at - WEIGHT_WINDOW <= when < at]
    if not current or not earlier:
        return None
    reference = max(earlier)
    loss = (reference - Decimal(str(current[-1]))) / reference * 100
    return loss.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _check_weight(resident_id: int, at: datetime | None) -> None:
    """MUST is due when the weight at ``at`` (None: the latest) is 5% or more below an earlier one."""
    since = (at or timezone.now()) - WEIGHT_WINDOW
    series = weights(resident_id, since)
    if at is None:
        if not series:
            return
        at = series[-1][0]
    series = [(when, kg) for when, kg in series if when <= at]
    loss = weight_loss_percent(series, at)
    if loss is not None and loss >= WEIGHT_LOSS_PERCENT:
        _mark(resident_id, DueReason.WEIGHT_LOSS, at)


@subscriber("care_records.chart_entry_recorded", context=CONTEXT, name="assessments.due_after_weight_loss")
def on_chart_entry(event: ChartEntryRecorded, envelope: Envelope) -> None:
    if event.chart == "weight":
        _check_weight(event.resident_id, event.occurred_at)


@subscriber("care_records.entry_corrected", context=CONTEXT, name="assessments.due_after_weight_corrected")
def on_entry_corrected(event: EntryCorrected, envelope: Envelope) -> None:
    """A corrected weight may show the loss the first entry hid: check the latest weight again."""
    if event.kind == "weight":
        _check_weight(event.resident_id, None)
