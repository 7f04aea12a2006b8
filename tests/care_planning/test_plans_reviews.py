"""Reviews: monthly from agreement, due now when an assessment band worsens (once per result), overdue
notices once per due date, what the records say since last time, and the outcomes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.care_planning.conftest import WATERLOW_10, WATERLOW_17, assess, plans_home
from writecarenotes.care_planning.jobs_plans import publish_overdue_reviews
from writecarenotes.care_planning.models.plans import CarePlan, PlanStatus, Review
from writecarenotes.care_planning.services_plans import add_months, agree_plan
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.care_planning.services_reviews import (
    hold_review,
    records_text,
    request_reviews_for_resident,
    review_context,
)
from writecarenotes.care_planning.subscribers_plans import on_band_worsened
from writecarenotes.care_records.services_charts import record_chart_entry
from writecarenotes.care_records.services_notes import record_note
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db
INVOLVED = {"resident_involved": True, "agreement_recorded": True}


def _deliver() -> None:
    outcome = dispatcher.run_due()
    assert not outcome.get("retry") and not outcome.get("dead"), outcome


def _agreed(world, answers=WATERLOW_10, now=None) -> CarePlan:
    assess(world, "waterlow", answers)
    with plans_home(world):
        plan = propose_from_assessments(world.resident.pk, user=world.users["nurse"]).created[0]
        return agree_plan(plan, user=world.users["nurse"], now=now, **INVOLVED)


def test_a_worse_waterlow_band_makes_the_skin_plan_review_due_now_once(world):
    plan = _agreed(world)
    assert plan.next_review_on == add_months(timezone.localdate(), 1)
    _deliver()
    assess(world, "waterlow", WATERLOW_17)  # at risk -> high: band worsened
    assert OutboxEvent.unscoped.filter(name="assessment.band_worsened").count() == 1
    _deliver()
    with plans_home(world):
        plan.refresh_from_db()
        assert (plan.status, plan.next_review_on, plan.review_reason) == (
            PlanStatus.UNDER_REVIEW,
            timezone.localdate(),
            "band_worsened",
        )
        assert plan.review_due() and not plan.review_overdue()
    assert OutboxEvent.unscoped.filter(name="care_plan.review_due").count() == 1
    # the same event again (a redelivery): nothing changes
    event = OutboxEvent.unscoped.get(name="assessment.band_worsened")
    from writecarenotes.assessments.events import AssessmentBandWorsened
    from writecarenotes.platform.tenancy.scope import acting_for

    with acting_for([world.home]):
        on_band_worsened(AssessmentBandWorsened(**event.payload), None)
    assert OutboxEvent.unscoped.filter(name="care_plan.review_due").count() == 1


def test_the_incident_hook_asks_for_reviews_of_the_domains_concerned(world):
    plan = _agreed(world)
    with plans_home(world):
        assert (
            request_reviews_for_resident(
                world.resident.pk, reason="incident", trigger="incident:7", domains={"mobility_falls"}
            )
            == []
        )
        assert request_reviews_for_resident(
            world.resident.pk, reason="incident", trigger="incident:7", domains={"skin_integrity"}
        ) == [plan.pk]
        assert request_reviews_for_resident(world.resident.pk, reason="incident", trigger="incident:7") == []


def test_the_daily_job_puts_overdue_reviews_under_review_and_notifies_once(world):
    now = timezone.now() - timedelta(days=40)
    plan = _agreed(world, now=now)
    slot = timezone.now()
    assert publish_overdue_reviews(slot) == 1
    assert publish_overdue_reviews(slot) == 0
    with plans_home(world):
        plan.refresh_from_db()
        assert plan.status == PlanStatus.UNDER_REVIEW and plan.review_reason == "overdue"
        assert plan.review_overdue()
    events = OutboxEvent.unscoped.filter(name="care_plan.review_overdue")
    assert [e.payload["due_on"] for e in events] == [plan.next_review_on.isoformat()]


def test_the_review_shows_the_records_since_last_time_and_keeps_them(world):
    now = timezone.now()
    plan = _agreed(world, now=now - timedelta(days=6))
    carer = world.users["carer"]
    with plans_home(world):
        record_note(
            resident_id=world.resident.pk,
            user=carer,
            occurred_at=now - timedelta(days=3),
            category="mobility",
            text="Found on the floor by the bed.",
            fall=True,
        )
        for hours in (30, 27, 20):
            record_chart_entry(
                "repositioning",
                resident_id=world.resident.pk,
                user=carer,
                occurred_at=now - timedelta(hours=hours),
                values={"position": "left", "skin_check": "intact"},
            )
        for days, kg in ((5, "61.0"), (2, "59.5")):
            record_chart_entry(
                "weight",
                resident_id=world.resident.pk,
                user=carer,
                occurred_at=now - timedelta(days=days),
                values={"weight_kg": kg},
            )
    _deliver()  # the plan's repositioning interval (6 h) reaches the chart settings
    assess(world, "waterlow", WATERLOW_17)
    with plans_home(world):
        plan.refresh_from_db()
        ctx = review_context(plan, now=now)
        r = ctx["records"]
        assert (r["falls"], r["notes"]) == (1, 1)
        assert r["repositioning"]["count"] == 3 and r["repositioning"]["longest_gap_hours"] == 7.0
        assert r["repositioning"]["interval_hours"] == 6 and r["repositioning"]["gaps_over_interval"] == 1
        assert (r["weight"]["start_kg"], r["weight"]["end_kg"], r["weight"]["change_kg"]) == ("61", "59.5", "-1.5")
        assert r["weight"]["change_percent"] == "-2.5"
        assert r["fluids"]["days"] >= 5 and r["fluids"]["days_below_target"] == r["fluids"]["days"]
        skin = ctx["assessments"][0]
        assert (skin["then"], skin["now"], skin["change"]) == (
            "Waterlow 10: at risk",
            "Waterlow 17: high risk",
            "worse",
        )
        text = records_text(ctx)
        assert "Falls recorded: 1." in text and "61 kg to 59.5 kg" in text

        with pytest.raises(ValidationError) as e:
            hold_review(plan, user=world.users["nurse"], summary="", outcome="maybe")
        assert {"summary", "outcome", "resident_involved", "agreement_recorded"} <= set(e.value.message_dict)
        review = hold_review(
            plan,
            user=world.users["nurse"],
            summary="One fall; skin intact; repositioning gaps at night.",
            outcome="change",
            now=now,
            resident_involved=False,
            representative_name="Ann Evans",
            representative_relationship="Daughter",
            agreement_recorded=True,
        )
        assert review.records["records"]["falls"] == 1 and "Falls recorded: 1." in review.records_text
        plan.refresh_from_db()
        assert plan.status == PlanStatus.UNDER_REVIEW and plan.review_reason == "change"
        agree_plan(plan, user=world.users["nurse"], **INVOLVED)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.AGREED
        # the next review looks at the records from the end of this one
        assert review_context(plan)["since"] == review.period_end
        review2 = hold_review(plan, user=world.users["nurse"], summary="Need met.", outcome="close", **INVOLVED)
        plan.refresh_from_db()
        assert plan.status == PlanStatus.ARCHIVED and plan.archive_reason.startswith("Closed at review")
        assert Review.objects.filter(plan=plan).count() == 2 and review2.outcome == "close"
        with pytest.raises(ValidationError, match="in force"):
            hold_review(plan, user=world.users["nurse"], summary="x", outcome="continue", **INVOLVED)
    assert OutboxEvent.unscoped.filter(name="care_plan.reviewed").count() == 2


def _incident_event(world, kind: str, incident_id: int = 41):
    from writecarenotes.incidents.events import IncidentReported

    return IncidentReported(
        incident_id=incident_id,
        reference=f"INC-2026-{incident_id:04d}",
        kind=kind,
        severity="low",
        occurred_at=timezone.now() - timedelta(minutes=30),
        resident_ids=[world.resident.pk],
    )


def test_a_reported_fall_puts_the_skin_and_falls_plans_under_review_once(world):
    from writecarenotes.care_planning.subscribers_plans import on_incident_reported
    from writecarenotes.platform.tenancy.scope import acting_for

    plan = _agreed(world)  # a skin integrity plan (Waterlow)
    _deliver()
    with acting_for([world.home]):
        on_incident_reported(_incident_event(world, "near_miss", 40), None)  # a near miss asks for no review
        plan.refresh_from_db()
        assert plan.status == PlanStatus.AGREED
        on_incident_reported(_incident_event(world, "fall"), None)
        plan.refresh_from_db()
        assert (plan.status, plan.review_reason, plan.review_trigger, plan.next_review_on) == (
            PlanStatus.UNDER_REVIEW,
            "incident",
            "incident:41",
            timezone.localdate(),
        )
        on_incident_reported(_incident_event(world, "fall"), None)  # redelivered: nothing changes
    assert OutboxEvent.unscoped.filter(name="care_plan.review_due").count() == 1
