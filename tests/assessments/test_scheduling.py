"""What makes assessments due: admission, a fall, weight loss (from other services' events, applied
once however often delivered), and the daily job that publishes ``assessment.overdue`` once per
due date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.assessments.support import events, record
from writecarenotes.assessments import subscribers
from writecarenotes.assessments.config import enabled_with_trigger
from writecarenotes.assessments.jobs import publish_overdue
from writecarenotes.assessments.models import AssessmentDue
from writecarenotes.assessments.services_due import mark_due, set_tool_settings
from writecarenotes.care_records.models import WeightEntry
from writecarenotes.care_records.services_charts import record_chart_entry
from writecarenotes.care_records.services_notes import correct_entry, record_note
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.audit.services import acting_as_system
from writecarenotes.platform.events import dispatcher, scheduler
from writecarenotes.platform.events.models import ProcessedEvent
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import services as residents

pytestmark = pytest.mark.django_db

MORSE = {
    "history_of_falling": "yes",
    "secondary_diagnosis": "no",
    "ambulatory_aid": "aid",
    "iv_access": "no",
    "gait": "weak",
    "mental_status": "oriented",
}


def _due(world, **filters) -> dict[str, AssessmentDue]:
    with acting_for([world.home]):
        return {d.tool: d for d in AssessmentDue.objects.filter(**filters)}


def _deliver() -> None:
    outcome = dispatcher.run_due()
    assert not outcome.get("retry") and not outcome.get("dead"), outcome


def _admit(world, at: datetime):
    with acting_as_system("test"), acting_for([world.home]):
        room = Room.objects.create(home=world.home, unit=world.unit, number="14")
        r = residents.create_enquiry(
            home=world.home,
            legal_given_names="Dorothy May",
            legal_family_name="Hughes",
            date_of_birth=date(1938, 5, 17),
        )
        r = residents.record_pre_admission(
            r, assessed_on=timezone.localdate(at), assessed_by="Sam Reid", summary="Frame.", outcome="suitable"
        )
        return residents.admit(r, room=room, admitted_at=at)


def test_admission_makes_every_tool_with_the_admission_trigger_due_that_day(world):
    with acting_as_system("test"), acting_for([world.home]):
        set_tool_settings("morse", enabled=False)
        expected = {c.slug for c in enabled_with_trigger("admission")}
    # the routine admission set of a UK care home, less what the organisation turned off
    assert expected == {"waterlow", "must", "barthel"}
    at = timezone.now() - timedelta(hours=2)
    r = _admit(world, at)
    _deliver()
    due = _due(world, resident_id=r.pk)
    assert set(due) == expected
    assert {(d.due_on, d.reason) for d in due.values()} == {(timezone.localdate(at), "admission")}
    audits = AuditRecord.objects.filter(action="assessments.due.marked").count()
    assert audits == len(expected)

    # delivered again (its "processed" mark lost): nothing changes
    ProcessedEvent.objects.all().delete()
    from writecarenotes.platform.events.models import Delivery

    Delivery.unscoped.update(status="pending", next_attempt_at=timezone.now())
    _deliver()
    assert AuditRecord.objects.filter(action="assessments.due.marked").count() == audits
    assert len(_due(world, resident_id=r.pk)) == len(expected)


def _fall(world, at=None):
    with acting_as_system("test"), acting_for([world.home]):
        return record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="mobility",
            text="Found on the floor by the bed.",
            occurred_at=at or timezone.now() - timedelta(minutes=20),
            fall=True,
        )


def test_a_fall_makes_the_tools_with_the_fall_trigger_due_now(world):
    record(world, MORSE, tool="morse", at=timezone.now() - timedelta(days=1))
    _fall(world)
    _deliver()
    due = _due(world, resident_id=world.resident.pk)
    with acting_for([world.home]):
        expected = {c.slug for c in enabled_with_trigger("fall")}
    assert {"morse", "waterlow"} <= expected and set(due) == expected  # issue 5: a fall → Morse and Waterlow
    assert (due["morse"].due_on, due["morse"].reason) == (timezone.localdate(), "fall")
    assert (due["waterlow"].due_on, due["waterlow"].reason) == (timezone.localdate(), "fall")


def test_a_fall_before_the_last_assessment_changes_nothing(world):
    fall_at = timezone.now() - timedelta(hours=3)
    record(world, MORSE, tool="morse", at=timezone.now() - timedelta(hours=1))
    before = _due(world, resident_id=world.resident.pk)["morse"].due_on
    _fall(world, at=fall_at)  # written late, after the Morse assessment that followed it
    _deliver()
    morse = _due(world, resident_id=world.resident.pk)["morse"]
    assert (morse.due_on, morse.reason) == (before, "review")


def _weigh(world, kg: str, days_ago: int) -> None:
    """An old weight, bulk-inserted as history (care records refuse entries over 7 days old)."""
    with acting_for([world.home]):
        at = timezone.now() - timedelta(days=days_ago)
        WeightEntry.objects.create(
            home=world.home,
            resident=world.resident,
            occurred_at=at,
            recorded_at=at,
            recorded_by=world.users["carer"],
            weight_kg=Decimal(kg),
        )


def _weigh_now(world, kg: str):
    with acting_as_system("test"), acting_for([world.home]):
        return record_chart_entry(
            "weight",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=timezone.now() - timedelta(minutes=5),
            values={"weight_kg": Decimal(kg)},
        )


def test_five_per_cent_weight_loss_makes_must_due(world):
    _weigh(world, "70.0", 120)
    _weigh(world, "68.0", 40)
    _weigh_now(world, "66.6")  # 4.9% less than 70.0: not yet
    _deliver()
    assert "must" not in _due(world)
    _weigh_now(world, "66.5")  # exactly 5.0% less
    _deliver()
    must = _due(world)["must"]
    assert (must.due_on, must.reason) == (timezone.localdate(), "weight_loss")


def test_weights_older_than_six_months_and_struck_weights_do_not_count(world):
    _weigh(world, "80.0", 200)  # more than 6 months ago
    entry = _weigh_now(world, "70.0")
    _deliver()
    assert "must" not in _due(world)
    with acting_as_system("test"), acting_for([world.home]):
        correct_entry(entry, reason="Wrong scale", new_values={"weight_kg": Decimal("79.0")}, user=world.users["nurse"])
    _deliver()
    assert "must" not in _due(world)


def test_a_corrected_weight_that_shows_the_loss_makes_must_due(world):
    _weigh(world, "72.0", 60)
    entry = _weigh_now(world, "70.0")  # 2.8% less
    _deliver()
    assert "must" not in _due(world)
    with acting_as_system("test"), acting_for([world.home]):
        correct_entry(
            entry, reason="Typed 70 for 67", new_values={"weight_kg": Decimal("67.0")}, user=world.users["nurse"]
        )
    _deliver()
    assert _due(world)["must"].reason == "weight_loss"


def test_weight_loss_percent_against_the_heaviest_weight_of_six_months():
    now = timezone.now()
    series = [(now - timedelta(days=150), Decimal("80.0")), (now - timedelta(days=30), Decimal("78.0")), (now, 76)]
    assert subscribers.weight_loss_percent(series, now) == Decimal("5.0")
    assert subscribers.weight_loss_percent(series[-1:], now) is None
    assert subscribers.weight_loss_percent([*series[:2], (now, 82)], now) == Decimal("-2.5")


def test_the_overdue_job_publishes_once_per_due_date(world):
    today = timezone.localdate()
    with acting_as_system("test"), acting_for([world.home]):
        mark_due(world.resident.pk, "morse", "manual", today - timedelta(days=2))
        mark_due(world.resident.pk, "braden", "manual", today)  # due today: not overdue
    slot = timezone.now()
    assert publish_overdue(slot) == 1
    [event] = events("assessment.overdue")
    assert event.payload["tool"] == "morse" and event.payload["due_on"] == (today - timedelta(days=2)).isoformat()
    assert publish_overdue(slot) == 0  # the same day again: nothing new
    assert publish_overdue(slot + timedelta(days=1)) == 1  # braden is overdue tomorrow, morse is not new
    assert len(events("assessment.overdue")) == 2
    with acting_as_system("test"), acting_for([world.home]):
        mark_due(world.resident.pk, "morse", "manual", today - timedelta(days=1))  # a new due date
    assert publish_overdue(slot + timedelta(days=1)) == 1


def test_the_overdue_job_is_registered_daily_and_skips_residents_who_left(world):
    from writecarenotes.platform.events import registry

    job = registry.JOBS["assessments.overdue"]
    assert job.at is not None and job.context == "assessments"
    with acting_as_system("test"), acting_for([world.home]):
        mark_due(world.resident.pk, "morse", "manual", timezone.localdate() - timedelta(days=1))
    from writecarenotes.residents.models import Resident

    Resident.unscoped.filter(pk=world.resident.pk).update(status="discharged")
    slot = scheduler.current_slot(job, timezone.now())
    assert scheduler.run_job("assessments.overdue", slot) == "done"
    assert events("assessment.overdue") == []
    assert scheduler.run_job("assessments.overdue", slot) == "skipped"


def test_a_fall_reported_as_an_incident_makes_the_same_tools_due(world):
    from writecarenotes.assessments.subscribers import on_fall_incident
    from writecarenotes.incidents.events import IncidentReported

    event = IncidentReported(
        incident_id=9,
        reference="INC-2026-0009",
        kind="fall",
        severity="no_harm",
        occurred_at=timezone.now() - timedelta(minutes=10),
        resident_ids=[world.resident.pk],
        witnessed=False,
    )
    with acting_for([world.home]):
        on_fall_incident(event, None)
        on_fall_incident(event.model_copy(update={"kind": "skin_tear_injury", "incident_id": 10}), None)
        expected = {c.slug for c in enabled_with_trigger("fall")}
    due = _due(world, resident_id=world.resident.pk)
    assert {"morse", "waterlow"} <= set(due) == expected
    assert all(due[slug].reason == "fall" and due[slug].due_on == timezone.localdate() for slug in expected)
