"""Services of the follow-up tasks: a fall sets the nurse's post-fall checks; an unwitnessed fall or a head
strike adds the head-injury observations (NICE NG232 intervals over 24 hours) and the anticoagulant check;
a correction adds or retires tasks without touching one done; recording a task is refused without its
outcome, and a deterioration without escalation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.incidents.conftest import in_home, report
from writecarenotes.incidents import obligations
from writecarenotes.incidents.followups_protocols import NEURO_SCHEDULE_MINUTES
from writecarenotes.incidents.models import FollowUpStatus, FollowUpTask
from writecarenotes.incidents.services_followups import complete_task, on_changed
from writecarenotes.incidents.services_report import change_incident
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def tasks(incident, **filters):
    with in_home(incident.home):
        return list(FollowUpTask.objects.filter(incident=incident, **filters).order_by("due_at", "sequence"))


def test_a_witnessed_fall_without_head_strike_gets_the_post_fall_checks_only(world):
    incident = report(world, witnessed=True, head_struck=False)
    keys = [t.key for t in tasks(incident)]
    assert keys == ["assessment", "review_24h", "review_48h"]
    assessment = tasks(incident, key="assessment")[0]
    assert assessment.due_at == incident.reported_at + timedelta(hours=1)
    assert assessment.resident_id == world.resident.pk
    assert "NICE" in assessment.source


def test_an_unwitnessed_fall_gets_the_head_injury_observations_at_the_ng232_intervals(world):
    incident = report(world, witnessed=False, head_struck=None)
    neuro = tasks(incident, neuro=True)
    assert [round((t.due_at - incident.reported_at).total_seconds() / 60) for t in neuro] == list(
        NEURO_SCHEDULE_MINUTES
    )
    # half-hourly for 2 hours, hourly for 4 hours, then 2-hourly to 24 hours
    assert NEURO_SCHEDULE_MINUTES[:5] == (0, 30, 60, 90, 120) and NEURO_SCHEDULE_MINUTES[-1] == 24 * 60
    assert "NG232" in neuro[0].source
    assert tasks(incident, key="anticoagulant")
    with in_home(incident.home):
        assert OutboxEvent.objects.filter(name="followup.due").count() == 1


def test_other_incidents_get_no_follow_up_tasks(world):
    assert tasks(report(world, kind="skin_tear_injury")) == []


def test_head_struck_later_adds_the_observations_from_now_and_is_idempotent(world):
    incident = report(world, witnessed=True, head_struck=False)
    with in_home(incident.home):
        complete_task(tasks(incident, key="assessment")[0].pk, user=world.users["nurse"], outcome="No injury found.")
        before = timezone.now()
        change_incident(
            incident.pk, user=world.users["nurse"], reason="She says she hit her head", values={"head_struck": True}
        )
        incident.refresh_from_db()
        count = FollowUpTask.objects.filter(incident=incident).count()
        on_changed(incident, world.users["nurse"], ["head_struck"])
        assert FollowUpTask.objects.filter(incident=incident).count() == count
    neuro = tasks(incident, neuro=True)
    assert len(neuro) == len(NEURO_SCHEDULE_MINUTES)
    assert neuro[0].due_at >= before
    assert tasks(incident, key="assessment")[0].status == FollowUpStatus.DONE


def test_a_correction_to_witnessed_retires_open_observations_with_the_reason_but_keeps_the_done_ones(world):
    incident = report(world, witnessed=False)
    first = tasks(incident, key="neuro_00")[0]
    with in_home(incident.home):
        complete_task(
            first.pk, user=world.users["nurse"], outcome="Alert, no change.", gcs=15, pupils="3 mm, equal, reactive"
        )
        change_incident(
            incident.pk,
            user=world.users["nurse"],
            reason="The carer saw her slide down; head not struck",
            values={"witnessed": True, "head_struck": False},
        )
    assert tasks(incident, key="neuro_00")[0].status == FollowUpStatus.DONE
    later = tasks(incident, key="neuro_05")[0]
    assert later.status == FollowUpStatus.NOT_REQUIRED
    assert "witnessed" in later.status_reason
    assert tasks(incident, key="assessment")[0].status == FollowUpStatus.OPEN


def test_recording_a_task_is_refused_without_its_details(world):
    incident = report(world, witnessed=False)
    neuro = tasks(incident, key="neuro_00")[0]
    with in_home(incident.home):
        with pytest.raises(ValidationError) as exc:
            complete_task(neuro.pk, user=world.users["nurse"], outcome="")
        assert {"outcome", "gcs", "pupils"} <= set(exc.value.message_dict)
        with pytest.raises(ValidationError) as exc:
            complete_task(neuro.pk, user=world.users["nurse"], outcome="ok", gcs=16, pupils="equal")
        assert "gcs" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            complete_task(
                neuro.pk,
                user=world.users["nurse"],
                outcome="ok",
                gcs=15,
                pupils="equal",
                done_at=timezone.now() + timedelta(hours=2),
            )
        assert "done_at" in exc.value.message_dict
    assert tasks(incident, key="neuro_00")[0].status == FollowUpStatus.OPEN


def test_a_fall_in_gcs_is_refused_until_the_escalation_is_recorded(world):
    incident = report(world, witnessed=False)
    with in_home(incident.home):
        complete_task(
            tasks(incident, key="neuro_00")[0].pk, user=world.users["nurse"], outcome="Baseline", gcs=15, pupils="equal"
        )
        second = tasks(incident, key="neuro_01")[0]
        with pytest.raises(ValidationError) as exc:
            complete_task(second.pk, user=world.users["nurse"], outcome="Drowsy", gcs=13, pupils="equal")
        assert "GCS fell from 15 to 13" in exc.value.message_dict["escalated"][0]
        done = complete_task(
            second.pk, user=world.users["nurse"], outcome="Drowsy; 999 called", gcs=13, pupils="equal", escalated=True
        )
        assert done.escalated
        assert OutboxEvent.objects.filter(name="followup.done").count() == 2
        with pytest.raises(ValidationError, match="already recorded"):
            complete_task(second.pk, user=world.users["nurse"], outcome="again", gcs=13, pupils="equal", escalated=True)


def test_overdue_tasks_appear_in_the_overdue_obligations(world):
    incident = report(world, witnessed=True, head_struck=False)
    with in_home(incident.home):
        FollowUpTask.objects.filter(incident=incident, key="assessment").update(
            due_at=timezone.now() - timedelta(minutes=5)
        )
        overdue = [s for s in obligations.overdue_steps() if s.kind == "followup"]
        assert [s.title for s in overdue] == ["Post-fall assessment"]
        assert overdue[0].url == f"/incidents/{incident.pk}/followups/"
        assert len([s for s in obligations.open_steps(incident) if s.kind == "followup"]) == 3
