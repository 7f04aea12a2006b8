"""Statutory notifications: worked out on report, re-evaluated on correction, prepared, submitted."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests import factories as f
from tests.incidents.notifications_helpers import correct, in_home, make_incident
from writecarenotes.incidents import obligations
from writecarenotes.incidents import services_notifications as svc
from writecarenotes.incidents.models import StatutoryNotification
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events.models import OutboxEvent

pytestmark = pytest.mark.django_db


def notes(incident):
    with in_home(incident.home):
        return {n.code: n for n in StatutoryNotification.objects.filter(incident=incident)}


def test_a_serious_injury_fall_in_england_requires_cqc_regulation_18(world):
    manager = world.users["registered_manager"]
    incident = make_incident(
        world.home,
        manager,
        resident=world.resident,
        injury="head_injury",
        severity="severe",
        serious_injury_tests=["body_structure"],
        medical_attention="admitted",
    )
    (n,) = notes(incident).values()
    assert n.code == "cqc_reg18_serious_injury" and n.status == "required"
    assert n.regulator == "cqc" and "18(2)(a)" in n.why
    assert n.due_at == incident.reported_at + timedelta(hours=24)
    with in_home(world.home):
        assert OutboxEvent.objects.filter(name="notification.required").count() == 1
        steps = obligations.open_steps(incident)
    assert [s.kind for s in steps if s.kind == "notification"] == ["notification"]
    assert "Notify CQC" in next(s.title for s in steps if s.kind == "notification")


def test_a_minor_fall_requires_nothing(world):
    incident = make_incident(world.home, world.users["nurse"], resident=world.resident)
    assert notes(incident) == {}


def test_re_evaluation_is_idempotent(world):
    manager = world.users["registered_manager"]
    incident = make_incident(world.home, manager, resident=world.resident, kind="abuse", abuse_alleged=True)
    with in_home(world.home):
        before = RecordVersion.objects.filter(content_type="incidents.statutorynotification").count()
        svc.reevaluate(incident)
        svc.reevaluate(incident)
        assert RecordVersion.objects.filter(content_type="incidents.statutorynotification").count() == before
        assert StatutoryNotification.objects.filter(incident=incident).count() == 1


def test_severity_raised_later_adds_a_notification(world):
    manager = world.users["registered_manager"]
    incident = make_incident(world.home, manager, resident=world.resident)
    assert notes(incident) == {}
    incident = correct(incident, manager, severity="severe", serious_injury_tests=["body_structure"])
    assert list(notes(incident)) == ["cqc_reg18_serious_injury"]


def test_facts_corrected_mark_an_open_notification_not_required_with_the_reason(world):
    manager = world.users["registered_manager"]
    incident = make_incident(world.home, manager, resident=world.resident, police_involved=True)
    assert notes(incident)["cqc_reg18_police"].status == "required"
    incident = correct(incident, manager, police_involved=False)
    n = notes(incident)["cqc_reg18_police"]
    assert n.status == "not_required"
    assert "police_involved" in n.not_required_reason and "18(2)(f)" in n.not_required_reason
    # and back again: required once more
    incident = correct(incident, manager, police_involved=True)
    assert notes(incident)["cqc_reg18_police"].status == "required"


def test_a_submitted_notification_that_no_longer_applies_stays_submitted_and_is_flagged(world):
    manager = world.users["registered_manager"]
    incident = make_incident(world.home, manager, resident=world.resident, police_involved=True)
    n = notes(incident)["cqc_reg18_police"]
    with in_home(world.home):
        svc.mark_submitted(n, manager, timezone.now(), "CQC-123")
    incident = correct(incident, manager, police_involved=False)
    n = notes(incident)["cqc_reg18_police"]
    assert n.status == "submitted" and n.no_longer_applies and n.regulator_reference == "CQC-123"


def test_the_same_fall_in_wales_gets_ciw_rules(world):
    user = f.user("wales.manager@example.test")
    f.member(user, "registered_manager", home=world.other_home)
    incident = make_incident(
        world.other_home, user, resident=world.other_home_resident, medical_attention="hospital", severity="moderate"
    )
    assert list(notes(incident)) == ["ciw_serious_injury"]


def test_prepare_fills_the_form_from_the_incident_home_and_resident(world):
    manager = world.users["registered_manager"]
    incident = make_incident(
        world.home,
        manager,
        resident=world.resident,
        injury="head_injury",
        severity="severe",
        serious_injury_tests=["body_structure"],
    )
    n = notes(incident)["cqc_reg18_serious_injury"]
    with in_home(world.home):
        n = svc.prepare(n, manager)
    assert n.status == "prepared" and n.prepared_by == manager
    text = n.content_text
    assert world.home.registration_number in text and "Oak Lodge" in text
    assert "Margaret Ann Evans" in text or "Evans" in text
    assert "02/04/1936" in text and "9990000018" in text and "NHS number" in text
    assert "Head injury" in text and "Checked for injury" in text
    assert "changes to the structure of the body" in text.lower() or "change to the structure" in text.lower()
    titles = [s["title"] for s in n.content["sections"]]
    assert titles[:3] == ["The service", "The person", "What happened"]
    with in_home(world.home):
        assert AuditRecord.objects.filter(action="residents.resident.read", subject_id=str(world.resident.pk)).exists()


def test_mark_submitted_refuses_bad_input_and_a_second_submission(world):
    manager = world.users["registered_manager"]
    incident = make_incident(world.home, manager, resident=world.resident, abuse_alleged=True, kind="abuse")
    n = notes(incident)["cqc_reg18_abuse"]
    with in_home(world.home):
        with pytest.raises(ValidationError) as exc:
            svc.mark_submitted(n, manager, timezone.now() + timedelta(hours=2), "")
        assert "submitted_at" in exc.value.error_dict
        with pytest.raises(ValidationError):
            svc.mark_submitted(n, manager, incident.occurred_at - timedelta(hours=1), "")
        svc.mark_submitted(n, manager, timezone.now(), "ABC")
        with pytest.raises(ValidationError):
            svc.mark_submitted(n, manager, timezone.now(), "ABC")
        with pytest.raises(ValidationError):
            svc.prepare(n, manager)
        assert obligations.open_steps(incident) == [] or all(
            s.kind != "notification" for s in obligations.open_steps(incident)
        )


def test_overdue_steps_list_open_notifications_past_due(world):
    manager = world.users["registered_manager"]
    incident = make_incident(
        world.home,
        manager,
        resident=world.resident,
        police_involved=True,
    )
    with in_home(world.home):
        n = StatutoryNotification.objects.get(incident=incident)
        assert svc.overdue_steps(timezone.now()) == []
        later = n.due_at + timedelta(minutes=1)
        (step,) = svc.overdue_steps(later)
    assert step.incident_id == incident.pk and step.url.endswith(f"/notifications/{n.pk}/")


def test_irish_deadline_is_three_working_days(world):
    org = world.org
    ie = f.home(org, name="Teach Síochána", nation="ireland", care_type="nursing")
    unit, room = f.unit_with_room(ie, unit_name="Ard", room_number="1")
    resident = f.resident(ie, unit=unit, room=room, family="Ó Briain", nhs_number="")
    user = f.user("ie.manager@example.test")
    f.member(user, "registered_manager", home=ie)
    incident = make_incident(ie, user, resident=resident, kind="missing_person")
    n = notes(incident)["hiqa_nf07_absence"]
    local = timezone.localtime(n.due_at)
    assert (local.hour, local.minute) == (23, 59)
    assert local.date() > timezone.localtime(incident.occurred_at).date()


def test_the_daily_job_makes_hiqa_returns_for_irish_homes_once(world):
    from datetime import datetime

    from writecarenotes.incidents.jobs_notifications import make_hiqa_returns
    from writecarenotes.incidents.models import PeriodicReturn
    from writecarenotes.platform.tenancy.scope import acting_for

    ie = f.home(world.org, name="Teach Dearg", nation="ireland", care_type="residential")
    slot = timezone.make_aware(datetime(2026, 10, 1, 6, 20))
    assert make_hiqa_returns(slot) == 1  # the quarter July-September (January-June's nil return was due by 31 July)
    assert make_hiqa_returns(slot) == 0
    with acting_for([ie]):
        (ret,) = PeriodicReturn.objects.all()
    assert (ret.kind, ret.period_start, ret.due_on) == ("quarterly", date(2026, 7, 1), date(2026, 10, 31))
    with acting_for([world.home]):
        assert not PeriodicReturn.objects.exists()


def test_a_serious_injury_found_later_is_due_from_when_it_was_known(world):
    """The fall was reported two days ago; the fracture found today starts the clock today."""
    from writecarenotes.incidents.models import Incident

    incident = make_incident(world.home, world.users["carer"], resident=world.resident)
    with in_home(world.home):
        Incident.objects.filter(pk=incident.pk).update(reported_at=timezone.now() - timedelta(days=2))
        incident = Incident.objects.select_related("home").get(pk=incident.pk)
    before = timezone.now()
    correct(incident, world.users["nurse"], serious_injury_tests=["body_structure"], medical_attention="hospital")
    with in_home(world.home):
        n = StatutoryNotification.objects.get(incident=incident, code="cqc_reg18_serious_injury")
    assert n.due_at >= before + timedelta(hours=24) - timedelta(seconds=5)
    assert n.due_at <= timezone.now() + timedelta(hours=24)
