"""Services of the duties: the steps the facts require (candour per nation, safeguarding, relatives and
GP), worked out again on a correction without losing a step done; each step refused without its details;
safeguarding's referral and outcome; people told; the overdue list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.incidents.conftest import in_home, report
from writecarenotes.incidents import obligations
from writecarenotes.incidents.models import DutyStep, InformedEntry, SafeguardingRecord, StepStatus
from writecarenotes.incidents.services_duties import (
    decline_step,
    on_changed,
    record_informed,
    record_step,
    steps_of,
)
from writecarenotes.incidents.services_report import change_incident
from writecarenotes.platform.audit.models import AuditRecord
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def keys(incident, kind=None, status=None):
    with in_home(incident.home):
        return [
            s.key
            for s in steps_of(incident.pk)
            if (kind is None or s.kind == kind) and (status is None or s.status == status)
        ]


def step(incident, kind, key):
    with in_home(incident.home):
        return DutyStep.objects.get(incident=incident, kind=kind, key=key)


def test_low_harm_fall_needs_relative_and_gp_told_but_no_candour(world):
    incident = report(world, severity="low")
    assert keys(incident, "candour") == []
    assert keys(incident, "informed") == ["relative", "gp"]
    assert keys(incident, "safeguarding") == []


def test_no_harm_needs_nothing(world):
    incident = report(world, severity="no_harm")
    assert keys(incident) == []


def test_moderate_harm_in_england_gets_the_regulation_20_steps_with_due_times(world):
    incident = report(world, severity="moderate")
    assert keys(incident, "candour") == [
        "notify_in_person",
        "true_account",
        "apology",
        "written_notification",
        "record_kept",
    ]
    s = step(incident, "candour", "written_notification")
    assert s.statutory and s.needs_sent_on and "regulation 20" in s.source
    assert s.due_at > incident.reported_at + timedelta(days=9)
    with in_home(incident.home):
        assert OutboxEvent.objects.filter(name="duties.steps_required").exists()


def test_the_welsh_home_gets_good_practice_steps_not_a_statutory_duty(world):
    incident = report(world, home=world.other_home, resident=world.other_home_resident, severity="severe")
    s = step(incident, "candour", "notify_in_person")
    assert not s.statutory
    assert "NHS bodies only" in s.source


def test_on_changed_is_idempotent_and_keeps_a_done_step(world):
    incident = report(world, severity="moderate")
    notify = step(incident, "candour", "notify_in_person")
    with in_home(incident.home):
        record_step(
            notify.pk,
            user=world.users["nurse"],
            values={"addressed_to": "Mary Evans", "addressed_as": "lacks_capacity", "notes": "Told her in person."},
        )
        before = DutyStep.objects.filter(incident=incident).count()
        on_changed(incident, world.users["nurse"], ["location"])
        on_changed(incident, world.users["nurse"], ["location"])
        assert DutyStep.objects.filter(incident=incident).count() == before
        # the harm is corrected down to low: the open candour steps are no longer required, the done one stays
        change_incident(
            incident.pk, user=world.users["nurse"], reason="GP review: bruise only", values={"severity": "low"}
        )
    assert step(incident, "candour", "notify_in_person").status == StepStatus.DONE
    apology = step(incident, "candour", "apology")
    assert apology.status == StepStatus.NOT_REQUIRED
    assert "below the threshold" in apology.status_reason
    # and back up again: reopened (due from when the new facts became known), nothing duplicated
    known = timezone.now()
    with in_home(incident.home):
        change_incident(incident.pk, user=world.users["nurse"], reason="X-ray: fracture", values={"severity": "severe"})
    reopened = step(incident, "candour", "apology")
    assert reopened.status == StepStatus.OPEN and reopened.due_at > known + timedelta(days=9)
    assert keys(incident, "candour").count("apology") == 1


def test_a_candour_step_without_its_details_is_refused_and_nothing_is_written(world):
    incident = report(world, severity="moderate")
    s = step(incident, "candour", "written_notification")
    audits = AuditRecord.objects.count()
    with in_home(incident.home), pytest.raises(ValidationError) as exc:
        record_step(s.pk, user=world.users["nurse"], values={"notes": ""})
    errors = exc.value.message_dict
    assert set(errors) >= {"notes", "addressed_to", "addressed_as", "sent_on"}
    assert step(incident, "candour", "written_notification").status == StepStatus.OPEN
    assert AuditRecord.objects.count() == audits


def test_the_person_who_died_is_not_addressed_themself(world):
    incident = report(world, kind="death", severity="death")
    s = step(incident, "candour", "notify_in_person")
    with in_home(incident.home), pytest.raises(ValidationError) as exc:
        record_step(s.pk, user=world.users["nurse"], values={"addressed_to": "X", "addressed_as": "self", "notes": "y"})
    assert "representative" in exc.value.message_dict["addressed_as"][0]


def test_the_written_follow_up_records_the_date_sent_and_to_whom(world):
    incident = report(world, severity="moderate")
    s = step(incident, "candour", "written_notification")
    with in_home(incident.home):
        done = record_step(
            s.pk,
            user=world.users["registered_manager"],
            values={
                "addressed_to": "John Evans (son, LPA health and welfare)",
                "addressed_as": "lacks_capacity",
                "notes": "Letter with the account and our apology.",
                "sent_on": timezone.localdate(),
            },
        )
        with pytest.raises(ValidationError, match="already recorded"):
            record_step(s.pk, user=world.users["nurse"], values={"notes": "again"})
        assert OutboxEvent.objects.filter(name="candour.step_done").exists()
    assert done.sent_on == timezone.localdate() and done.addressed_as == "lacks_capacity"


def test_an_allegation_of_abuse_starts_a_safeguarding_record_with_a_referral_due_within_24_hours(world):
    incident = report(world, kind="abuse", abuse_alleged=True, severity="low", what_happened="Says a visitor hit her.")
    assert keys(incident, "safeguarding") == ["protection", "referral", "outcome"]
    referral = step(incident, "safeguarding", "referral")
    assert referral.due_at == incident.reported_at + timedelta(hours=24)
    assert referral.due_basis == "policy" and "Care Act 2014" in referral.source
    with in_home(incident.home):
        record = SafeguardingRecord.objects.get(incident=incident)
        assert record.concern == "Says a visitor hit her."
        with pytest.raises(ValidationError) as exc:
            record_step(referral.pk, user=world.users["nurse"], values={"authority_name": "Oakshire County Council"})
        assert "referral_reference" in exc.value.message_dict
        record_step(
            referral.pk,
            user=world.users["nurse"],
            values={"authority_name": "Oakshire County Council", "referral_reference": "ASC-2291"},
        )
        record.refresh_from_db()
        assert record.authority_name == "Oakshire County Council" and record.referral_reference == "ASC-2291"
        assert record.version == 2
        assert OutboxEvent.objects.filter(name="safeguarding.referred").exists()
        with pytest.raises(ValidationError, match="cannot be skipped"):
            decline_step(step(incident, "safeguarding", "outcome").pk, user=world.users["nurse"], reason="no")


def test_relatives_and_gp_told_marks_the_steps_done_and_can_be_declined_with_a_reason(world):
    incident = report(world, severity="low")
    with in_home(incident.home):
        with pytest.raises(ValidationError) as exc:
            record_informed(incident.pk, user=world.users["nurse"], values={"party": "gp"})
        assert {"name", "relationship", "method", "what_said", "informed_at"} <= set(exc.value.message_dict)
        record_informed(
            incident.pk,
            user=world.users["nurse"],
            values={
                "party": "gp",
                "name": "Dr Shah",
                "relationship": "Riverside Surgery",
                "informed_at": timezone.now() - timedelta(minutes=5),
                "method": "phone",
                "what_said": "Fall, bruised hip, no head injury; GP to visit tomorrow.",
            },
        )
        assert InformedEntry.objects.filter(incident=incident).count() == 1
        decline_step(
            step(incident, "informed", "relative").pk,
            user=world.users["registered_manager"],
            reason="She has capacity and asked that her family not be told.",
        )
    assert step(incident, "informed", "gp").status == StepStatus.DONE
    relative = step(incident, "informed", "relative")
    assert relative.status == StepStatus.DECLINED and "capacity" in relative.status_reason


def test_overdue_steps_lists_past_due_open_steps_of_the_scope(world):
    incident = report(world, severity="moderate")
    with in_home(incident.home):
        DutyStep.objects.filter(incident=incident, key="apology").update(due_at=timezone.now() - timedelta(hours=1))
        overdue = [s for s in obligations.overdue_steps() if s.incident_id == incident.pk]
        assert [s.title for s in overdue if s.kind == "candour"] == ["Apologise"]
        assert overdue[0].url == f"/incidents/{incident.pk}/duties/"
        assert any(s.kind == "informed" for s in obligations.open_steps(incident))
    with in_home(world.other_home):
        assert not [s for s in obligations.overdue_steps() if s.incident_id == incident.pk]
