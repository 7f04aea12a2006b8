"""The carers' task list: when interventions are due (exact windows), done by a chart entry or by the
carer, not done with a reason, and a fixed number of queries whatever the number of residents."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests import factories as f
from tests.care_planning.conftest import WATERLOW_17, assess, plans_home
from writecarenotes.care_planning.models.plans import Intervention, TaskCompletion
from writecarenotes.care_planning.services_plans import agree_plan, archive_plan, create_plan
from writecarenotes.care_planning.services_proposals import propose_from_assessments
from writecarenotes.care_planning.services_tasks import (
    DONE,
    MISSED,
    NOT_DONE,
    ON_CHART,
    TO_DO,
    record_task,
    slots,
    tasks_for_unit,
)
from writecarenotes.care_records.services_charts import record_chart_entry
from writecarenotes.platform.events.models import OutboxEvent

INVOLVED = {"resident_involved": True, "agreement_recorded": True}


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(hh, mm)))


WINTER = date(2025, 1, 15)
SUMMER = date(2025, 7, 15)


def item(**kw) -> Intervention:
    kw.setdefault("starts_on", date(2025, 1, 1))
    return Intervention(what="x", **kw)


def due(slot_list) -> list[str]:
    return [timezone.localtime(s.due_at).strftime("%d %H:%M") for s in slot_list]


@pytest.mark.parametrize("day", [WINTER, SUMMER])
def test_every_3_hours_is_at_the_same_wall_clock_hours_every_day(day):
    day_shift = slots(item(schedule_kind="every_n_hours", every_hours=3), at(day, 8), at(day, 20))
    assert due(day_shift) == [f"{day.day} 09:00", f"{day.day} 12:00", f"{day.day} 15:00", f"{day.day} 18:00"]
    s = day_shift[1]  # 12:00: a chart entry from 10:30 to 13:30 (exclusive) counts
    assert (s.start, s.end) == (at(day, 10, 30), at(day, 13, 30))
    night = slots(item(schedule_kind="every_n_hours", every_hours=3), at(day, 20), at(day + timedelta(days=1), 8))
    assert due(night) == [f"{day.day} 21:00", f"{day.day + 1} 00:00", f"{day.day + 1} 03:00", f"{day.day + 1} 06:00"]


def test_every_5_hours_counts_from_the_start_day_without_a_break():
    s = slots(item(schedule_kind="every_n_hours", every_hours=5, starts_on=WINTER), at(WINTER, 8), at(WINTER, 20))
    assert due(s) == ["15 10:00", "15 15:00"]
    nxt = slots(
        item(schedule_kind="every_n_hours", every_hours=5, starts_on=WINTER), at(WINTER, 20), at(WINTER, 23, 59)
    )
    assert due(nxt) == ["15 20:00"]


def test_times_of_day_windows_are_an_hour_or_half_the_gap():
    drinks = slots(item(schedule_kind="times_of_day", times=["08:00", "10:00"]), at(WINTER, 8), at(WINTER, 20))
    assert due(drinks) == ["15 08:00", "15 10:00"]
    assert (drinks[0].start, drinks[0].end) == (at(WINTER, 7), at(WINTER, 9))
    close = slots(item(schedule_kind="times_of_day", times=["12:00", "12:40"]), at(WINTER, 8), at(WINTER, 20))
    assert (close[0].start, close[0].end) == (at(WINTER, 11, 40), at(WINTER, 12, 20))


def test_each_shift_and_every_n_days():
    shift = slots(item(schedule_kind="each_shift"), at(WINTER, 8), at(WINTER, 20))
    assert due(shift) == ["15 08:00"] and shift[0].end == at(WINTER, 20)
    weekly = item(schedule_kind="every_n_days", every_days=7, times=["10:00"], starts_on=date(2025, 1, 1))
    assert due(slots(weekly, at(WINTER, 8), at(WINTER, 20))) == ["15 10:00"]  # 1 Jan + 14 days
    assert slots(weekly, at(WINTER + timedelta(days=1), 8), at(WINTER + timedelta(days=1), 20)) == []
    first = slots(weekly, at(WINTER, 8), at(WINTER, 20))[0]
    assert (first.start, first.end) == (at(WINTER, 0), at(WINTER + timedelta(days=1), 0))
    assert slots(item(schedule_kind="as_needed"), at(WINTER, 8), at(WINTER, 20)) == []


# --- the task list ------------------------------------------------------------------------------


def _agreed_skin_plan(world, resident=None):
    resident = resident or world.resident
    assess(world, "waterlow", WATERLOW_17, resident=resident)
    with plans_home(world):
        plan = propose_from_assessments(resident.pk, user=world.users["nurse"]).created[0]
        return agree_plan(plan, user=world.users["nurse"], **INVOLVED)


@pytest.mark.django_db
def test_an_agreed_plan_puts_its_tasks_on_the_unit_list(world):
    plan = _agreed_skin_plan(world)
    now = (timezone.localtime() - timedelta(days=1)).replace(hour=13, minute=0, second=0, microsecond=0)
    with plans_home(world):
        tl = tasks_for_unit(world.unit.pk, now=now)
    assert [r.resident.id for r in tl.residents] == [world.resident.pk]
    tasks = tl.residents[0].tasks
    repo = [t for t in tasks if t.intervention.chart == "repositioning"]
    # every 4 hours in the day shift 08-20: 08:00, 12:00, 16:00; at 13:00 the 08:00 one (window to 10:00) is missed
    assert [timezone.localtime(t.due_at).hour for t in repo] == [8, 12, 16]
    assert [t.state for t in repo] == [MISSED, TO_DO, TO_DO]
    assert [t.domain_label for t in repo] == ["Skin integrity"] * 3
    mattress = [t for t in tasks if t.intervention.schedule_kind == "each_shift"]
    assert len(mattress) == 1 and mattress[0].state == TO_DO
    assert [t.intervention.schedule_kind for t in tl.residents[0].as_needed] == ["as_needed"]
    with plans_home(world):
        archive_plan(plan, reason="test")
        assert tasks_for_unit(world.unit.pk, now=now).residents == []


@pytest.mark.django_db
def test_a_repositioning_entry_in_the_window_counts_as_done(world):
    _agreed_skin_plan(world)
    now = (timezone.localtime() - timedelta(days=1)).replace(hour=13, minute=0, second=0, microsecond=0)
    with plans_home(world):
        record_chart_entry(
            "repositioning",
            resident_id=world.resident.pk,
            user=world.users["carer"],
            occurred_at=now - timedelta(minutes=45),  # 12:15: the 12:00 task
            values={"position": "left", "skin_check": "intact"},
        )
        tl = tasks_for_unit(world.unit.pk, now=now)
    repo = [t for t in tl.residents[0].tasks if t.intervention.chart == "repositioning"]
    assert [t.state for t in repo] == [MISSED, ON_CHART, TO_DO]
    assert repo[1].chart_at == now - timedelta(minutes=45)


@pytest.mark.django_db
def test_recording_done_and_not_done(world):
    _agreed_skin_plan(world)
    now = (timezone.localtime() - timedelta(days=1)).replace(hour=13, minute=0, second=0, microsecond=0)
    carer = world.users["carer"]
    with plans_home(world):
        tl = tasks_for_unit(world.unit.pk, now=now)
        mattress = next(t for t in tl.residents[0].tasks if t.intervention.schedule_kind == "each_shift")
        missed = tl.residents[0].tasks[0]
        later = [t for t in tl.residents[0].tasks if t.intervention.chart == "repositioning"][2]
        record_task(
            intervention_id=mattress.intervention.pk, due_at=mattress.due_at, outcome="done", user=carer, now=now
        )
        with pytest.raises(ValidationError) as e:
            record_task(
                intervention_id=missed.intervention.pk, due_at=missed.due_at, outcome="not_done", user=carer, now=now
            )
        assert "reason" in e.value.message_dict
        with pytest.raises(ValidationError) as e:
            record_task(
                intervention_id=missed.intervention.pk,
                due_at=missed.due_at,
                outcome="not_done",
                reason="other",
                user=carer,
                now=now,
            )
        assert "note" in e.value.message_dict
        record_task(
            intervention_id=missed.intervention.pk,
            due_at=missed.due_at,
            outcome="not_done",
            reason="declined",
            user=carer,
            now=now,
        )
        with pytest.raises(ValidationError, match="already"):
            record_task(
                intervention_id=missed.intervention.pk, due_at=missed.due_at, outcome="done", user=carer, now=now
            )
        with pytest.raises(ValidationError, match="not due yet"):
            record_task(intervention_id=later.intervention.pk, due_at=later.due_at, outcome="done", user=carer, now=now)
        with pytest.raises(ValidationError, match="not due at that time"):
            record_task(
                intervention_id=later.intervention.pk,
                due_at=later.due_at + timedelta(minutes=7),
                outcome="done",
                user=carer,
                now=now,
            )
        as_needed = tl.residents[0].as_needed[0]
        prn = record_task(
            intervention_id=as_needed.intervention.pk, outcome="done", note="Barrier cream", user=carer, now=now
        )
        assert prn.due_at == now
        states = {t.intervention.pk: t.state for t in tasks_for_unit(world.unit.pk, now=now).residents[0].tasks}
        assert states[mattress.intervention.pk] == DONE
        assert tasks_for_unit(world.unit.pk, now=now).residents[0].tasks[0].state == NOT_DONE
        assert TaskCompletion.objects.count() == 3
    assert OutboxEvent.unscoped.filter(name="care_plan.task_recorded").count() == 3


@pytest.mark.django_db
def test_a_proposed_plan_has_no_tasks_and_its_interventions_cannot_be_recorded(world):
    with plans_home(world):
        plan = create_plan(
            resident_id=world.resident.pk,
            domain="sleep",
            user=world.users["nurse"],
            goals=[{"text": "Sleeps well", "measure": "", "target_on": timezone.localdate()}],
            interventions=[{"what": "Night check", "schedule_kind": "each_shift"}],
        )
        assert tasks_for_unit(world.unit.pk).residents == []
        with pytest.raises(ValidationError, match="no longer"):
            record_task(intervention_id=plan.interventions.get().pk, outcome="done", user=world.users["carer"])


@pytest.mark.django_db
def test_the_task_list_reads_a_fixed_number_of_queries(world):
    _agreed_skin_plan(world)
    now = (timezone.localtime() - timedelta(days=1)).replace(hour=13, minute=0, second=0, microsecond=0)
    with plans_home(world), CaptureQueriesContext(connection) as few:
        tasks_for_unit(world.unit.pk, now=now)
    for i in range(3):
        r = f.resident(world.home, unit=world.unit, family=f"Extra{i}", nhs_number="9990000018")
        _agreed_skin_plan(world, resident=r)
    with plans_home(world), CaptureQueriesContext(connection) as many:
        tl = tasks_for_unit(world.unit.pk, now=now)
    assert len(tl.residents) == 4
    assert len(many.captured_queries) == len(few.captured_queries)
