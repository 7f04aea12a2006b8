"""Services of care plans: create, change with a reason (versions, If-Match), agree with involvement,
archive; goals and interventions; the daily-records charts follow the agreed plan (care_records'
subscriber, applied once however often delivered); nothing half-written."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tests.care_planning.conftest import WATERLOW_17, assess, plans_home
from writecarenotes.care_planning.models.plans import CarePlan, Goal, GoalProgress, Intervention, PlanStatus
from writecarenotes.care_planning.services_plans import (
    add_goal,
    add_goal_progress,
    add_intervention,
    add_months,
    agree_plan,
    archive_plan,
    create_plan,
    end_intervention,
    update_goal,
    update_intervention,
    update_plan,
)
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.care_records.models import ChartSettings
from writecarenotes.care_records.subscribers_care_plans import apply_plan_settings
from writecarenotes.platform.api.concurrency import PreconditionFailed, etag_for
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db

INVOLVED = {
    "resident_involved": True,
    "representative_name": "",
    "representative_relationship": "",
    "agreement_recorded": True,
    "agreement_notes": "",
}


def _deliver() -> None:
    outcome = dispatcher.run_due()
    assert not outcome.get("retry") and not outcome.get("dead"), outcome


def _plan(world, **kw) -> CarePlan:
    defaults = {
        "resident_id": world.resident.pk,
        "domain": "continence",
        "user": world.users["nurse"],
        "in_my_words": "I like to go to the toilet on my own if I can.",
        "goals": [
            {
                "text": "Stays dry and comfortable.",
                "measure": "",
                "target_on": timezone.localdate() + timedelta(days=30),
            }
        ],
        "interventions": [{"what": "Offer the toilet", "schedule_kind": "times_of_day", "times": ["07:30", "13:00"]}],
    }
    with plans_home(world):
        return create_plan(**{**defaults, **kw})


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 15), 1, date(2025, 2, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 12, 10), 1, date(2026, 1, 10)),
        (date(2025, 3, 31), 6, date(2025, 9, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(start, months, expected):
    assert add_months(start, months) == expected


def test_create_refuses_a_second_plan_for_the_same_need_and_bad_input(world):
    plan = _plan(world)
    with plans_home(world):
        assert plan.status == PlanStatus.PROPOSED and plan.goals.count() == 1 and plan.interventions.count() == 1
    with pytest.raises(ValidationError) as e:
        _plan(world)
    assert "domain" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _plan(world, domain="astrology")
    assert "domain" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        _plan(
            world,
            domain="sleep",
            interventions=[{"what": "Check", "schedule_kind": "every_n_hours", "every_hours": 30}],
        )
    assert "every_hours" in e.value.message_dict
    with plans_home(world):
        assert not CarePlan.objects.filter(domain="sleep").exists()  # nothing half-written
    gone = f.resident(world.home, unit=world.unit, family="Gone", status="discharged", nhs_number="9990000042")
    with pytest.raises(ValidationError):
        _plan(world, resident_id=gone.pk, domain="sleep")


def test_changing_a_plan_needs_a_reason_and_the_etag_and_keeps_versions(world):
    plan = _plan(world)
    with plans_home(world):
        with pytest.raises(ValidationError) as e:
            update_plan(plan, values={"needs": "New"}, reason="")
        assert "reason" in e.value.message_dict
        stale = etag_for(plan)
        plan = update_plan(
            plan, values={"needs": "Needs help at night."}, reason="Night-time incontinence", if_match=stale
        )
        with pytest.raises(PreconditionFailed):
            update_plan(plan, values={"needs": "Other"}, reason="x", if_match=stale)
        versions = RecordVersion.objects.filter(content_type="care_planning.careplan", object_id=str(plan.pk))
        assert versions.count() == 2 and versions.order_by("-version").first().reason == "Night-time incontinence"
        same = update_plan(plan, values={"needs": "Needs help at night."}, reason="no change")
        assert same.version == plan.version  # nothing changed: no version
        with pytest.raises(ValidationError) as e:
            update_plan(plan, values={"review_every_months": 13}, reason="x")
        assert "review_every_months" in e.value.message_dict


def test_agreeing_needs_involvement_goals_and_interventions(world):
    plan = _plan(world, goals=[], interventions=[])
    nurse = world.users["nurse"]
    with plans_home(world):
        with pytest.raises(ValidationError) as e:
            agree_plan(plan, user=nurse)
        assert {"resident_involved", "agreement_recorded"} <= set(e.value.message_dict)
        with pytest.raises(ValidationError) as e:
            agree_plan(plan, user=nurse, **{**INVOLVED, "resident_involved": False})
        assert "agreement_notes" in e.value.message_dict
        with pytest.raises(ValidationError) as e:
            agree_plan(plan, user=nurse, **{**INVOLVED, "representative_name": "Ann Evans"})
        assert "representative_relationship" in e.value.message_dict
        with pytest.raises(ValidationError, match="goal"):
            agree_plan(plan, user=nurse, **INVOLVED)
        add_goal(plan, text="Stays dry.", target_on=timezone.localdate() + timedelta(days=14))
        with pytest.raises(ValidationError, match="intervention"):
            agree_plan(plan, user=nurse, **INVOLVED)
        add_intervention(plan, what="Offer the toilet", schedule_kind="each_shift")
        now = timezone.now()
        agreed = agree_plan(
            plan,
            user=nurse,
            now=now,
            **{**INVOLVED, "resident_involved": False, "representative_name": "Ann Evans"}
            | {"representative_relationship": "Daughter (LPA health and welfare)"},
        )
        assert agreed.status == PlanStatus.AGREED and agreed.agreed_by == nurse
        assert agreed.next_review_on == add_months(timezone.localdate(now), 1)
        assert agreed.representative_relationship.startswith("Daughter")
        with pytest.raises(ValidationError, match="proposed"):
            agree_plan(agreed, user=nurse, **INVOLVED)
    assert OutboxEvent.unscoped.filter(name="care_plan.agreed").count() == 1


def test_an_agreed_skin_plan_sets_the_repositioning_chart_once(world):
    assess(world, "waterlow", WATERLOW_17)
    nurse = world.users["nurse"]
    with plans_home(world):
        plan = propose_from_assessments(world.resident.pk, user=nurse).created[0]
        agree_plan(plan, user=nurse, **INVOLVED)
    event = OutboxEvent.unscoped.get(name="care_plan.agreed")
    assert event.payload["chart_settings"] == {"repositioning_interval_hours": 4}
    _deliver()
    with plans_home(world):
        s = ChartSettings.objects.get(resident=world.resident)
        assert s.repositioning_interval_hours == 4
        audits = AuditRecord.objects.filter(action="care_records.chart_settings.changed").count()
        assert audits == 1
        # the same settings again (a redelivery, or a plan change that does not touch them): nothing written
        assert apply_plan_settings(world.resident.pk, {"repositioning_interval_hours": 4}, "again") == {}
        assert AuditRecord.objects.filter(action="care_records.chart_settings.changed").count() == 1
        # the nurse changes the interval: the chart follows
        item = plan.interventions.get(chart="repositioning")
        update_intervention(item, values={"every_hours": 3}, reason="Skin red on the sacrum", if_match=etag_for(item))
    _deliver()
    with plans_home(world):
        assert ChartSettings.objects.get(resident=world.resident).repositioning_interval_hours == 3
        archive_plan(plan, reason="Moved to a dynamic mattress and walking again")
    _deliver()
    with plans_home(world):
        assert ChartSettings.objects.get(resident=world.resident).repositioning_interval_hours is None
        with pytest.raises(ValidationError, match="archived"):
            update_plan(plan, values={"needs": "x"}, reason="x")


def test_a_fluid_target_turns_the_fluid_chart_on_with_the_target(world):
    nurse = world.users["nurse"]
    plan = _plan(
        world,
        domain="nutrition_hydration",
        interventions=[
            {
                "what": "Offer a drink",
                "schedule_kind": "times_of_day",
                "times": ["10:00", "08:00"],
                "chart": "food-fluid",
                "fluid_target_ml": 1700,
            }
        ],
    )
    with plans_home(world):
        assert plan.interventions.get().times == ["08:00", "10:00"]
        agree_plan(plan, user=nurse, **INVOLVED)
    _deliver()
    with plans_home(world):
        s = ChartSettings.objects.get(resident=world.resident)
        assert (s.fluid_target_ml, s.monitor_fluids) == (1700, True)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"what": "", "schedule_kind": "each_shift"}, "what"),
        ({"what": "x", "schedule_kind": "sometimes"}, "schedule_kind"),
        ({"what": "x", "schedule_kind": "every_n_hours"}, "every_hours"),
        ({"what": "x", "schedule_kind": "every_n_hours", "every_hours": 0}, "every_hours"),
        ({"what": "x", "schedule_kind": "times_of_day", "times": ["25:00"]}, "times"),
        ({"what": "x", "schedule_kind": "times_of_day", "times": []}, "times"),
        ({"what": "x", "schedule_kind": "every_n_days"}, "every_days"),
        ({"what": "x", "schedule_kind": "each_shift", "chart": "horoscope"}, "chart"),
        ({"what": "x", "schedule_kind": "each_shift", "fluid_target_ml": 1500}, "fluid_target_ml"),
        ({"what": "x", "schedule_kind": "each_shift", "chart": "food-fluid", "fluid_target_ml": 50}, "fluid_target_ml"),
        ({"what": "x", "schedule_kind": "each_shift", "repositioning_hours": 3}, "repositioning_hours"),
        ({"what": "x", "schedule_kind": "every_n_hours", "every_hours": 18, "chart": "repositioning"}, "every_hours"),
    ],
)
def test_interventions_are_checked_field_by_field(world, values, field):
    plan = _plan(world)
    with plans_home(world), pytest.raises(ValidationError) as e:
        add_intervention(plan, **values)
    assert field in e.value.message_dict


def test_goals_progress_and_ending_interventions_are_kept(world):
    plan = _plan(world)
    nurse = world.users["nurse"]
    with plans_home(world):
        goal = plan.goals.get()
        with pytest.raises(ValidationError) as e:
            add_goal_progress(goal, note="", user=nurse)
        assert "note" in e.value.message_dict
        add_goal_progress(goal, note="Dry most days this week.", user=nurse)
        add_goal_progress(goal, note="Achieved.", user=nurse, status="achieved")
        goal.refresh_from_db()
        assert goal.status == "achieved" and GoalProgress.objects.filter(goal=goal).count() == 2
        goal = update_goal(
            goal, values={"text": "Stays dry day and night."}, reason="Night too", if_match=etag_for(goal)
        )
        assert Goal.objects.get(pk=goal.pk).text == "Stays dry day and night."
        item = plan.interventions.get()
        end_intervention(item, reason="Now independent")
        item = Intervention.objects.get(pk=item.pk)
        assert not item.active and item.end_reason == "Now independent"
        with pytest.raises(ValidationError, match="ended"):
            update_intervention(item, values={"what": "x"}, reason="x")
        plan.refresh_from_db()
        assert plan.version > 1  # goals and interventions change the plan's ETag
