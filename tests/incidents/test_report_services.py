"""Reporting an incident: one transaction (incident, people, injuries, version, audit, event), the per-home
yearly reference (safe when two reports collide), refusals by field with nothing written, corrections
as new versions with a reason, additions later, closing refused while required steps are open, and the
incidents raised from other services' events (a fall in the daily notes, a death), once each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.incidents.conftest import in_home, report
from writecarenotes.care_records.services_notes import record_note
from writecarenotes.incidents import obligations, public, services_report
from writecarenotes.incidents.models import Incident, IncidentInjury, IncidentPerson
from writecarenotes.incidents.obligations import OpenStep
from writecarenotes.incidents.services_report import (
    OpenStepsRemain,
    add_injury,
    add_person,
    change_incident,
    close_incident,
    next_reference,
)
from writecarenotes.incidents.subscribers_report import raise_from_death, raise_from_fall_note
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.residents import services as residents

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report_only")]


def events(name):
    return list(OutboxEvent.unscoped.filter(name=name).order_by("occurred_at", "id"))


def test_a_report_saves_the_incident_people_injuries_version_audit_and_event(world):
    incident = report(
        world,
        witnessed=False,
        head_struck=True,
        severity="moderate",
        injuries=[{"body_location": "head_back", "kind": "head_injury", "description": "Swelling 3 cm"}],
        people=[{"role": "witness", "kind": "visitor", "name": "Mrs Evans (daughter)", "statement": "Heard a thud."}],
    )
    year = timezone.localdate().year
    assert incident.reference == f"INC-{year}-0001" and incident.version == 1 and incident.is_open
    assert incident.reported_by == world.users["carer"]
    with in_home(world.home):
        people = list(IncidentPerson.objects.filter(incident=incident).order_by("pk"))
        [injury] = IncidentInjury.objects.filter(incident=incident)
    assert [(p.role, p.kind, p.name) for p in people] == [
        ("affected", "resident", people[0].name),
        ("witness", "visitor", "Mrs Evans (daughter)"),
    ]
    assert people[0].resident_id == world.resident.pk and "Evans" in people[0].name
    assert injury.person_id == people[0].pk and injury.body_location == "head_back"
    [v] = RecordVersion.objects.filter(content_type="incidents.incident", object_id=str(incident.pk))
    assert v.data["head_struck"] is True
    assert AuditRecord.objects.filter(action="incidents.incident.reported", target_id=str(incident.pk)).exists()
    assert AuditRecord.objects.filter(action="incidents.injury.recorded").count() == 1
    [event] = events("incident.reported")
    assert event.payload["resident_ids"] == [world.resident.pk]
    assert event.payload["witnessed"] is False and event.payload["head_struck"] is True


def test_references_count_per_home_and_year(world):
    year = timezone.localdate().year
    a = report(world)
    b = report(world)
    c = report(world, home=world.other_home, resident=world.other_home_resident)
    assert (a.reference, b.reference, c.reference) == (
        f"INC-{year}-0001",
        f"INC-{year}-0002",
        f"INC-{year}-0001",
    )
    with in_home(world.home):  # references are read in the reporter's scope, as every tenant query
        assert next_reference(world.home.pk, year + 1) == f"INC-{year + 1}-0001"


def test_a_reference_taken_meanwhile_is_retried_with_the_next_number(world, monkeypatch):
    first = report(world)
    year = timezone.localdate().year
    real = services_report.next_reference
    calls = []

    def stale(home_id, y):  # the first call sees the number another report has just taken
        calls.append(1)
        return first.reference if len(calls) == 1 else real(home_id, y)

    monkeypatch.setattr(services_report, "next_reference", stale)
    second = report(world)
    assert second.reference == f"INC-{year}-0002" and len(calls) == 2


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"kind": "ghosts"}, "kind"),
        ({"kind": "other"}, "other_kind"),
        ({"kind": "pressure_ulcer"}, "pressure_ulcer_category"),
        ({"severity": "dreadful"}, "severity"),
        ({"location": "  "}, "location"),
        ({"what_happened": ""}, "what_happened"),
        ({"kind": "death", "severity": "low"}, "severity"),
        ({"serious_injury_tests": ["bad_luck"]}, "serious_injury_tests"),
        ({"medical_attention": "magic"}, "medical_attention"),
        ({"disruption_hours": -3}, "disruption_hours"),
        ({"witnessed": "perhaps"}, "witnessed"),
    ],
)
def test_bad_facts_are_refused_by_field_and_nothing_is_written(world, facts, field):
    with pytest.raises(ValidationError) as exc:
        report(world, **facts)
    assert field in exc.value.message_dict
    assert not Incident.unscoped.exists() and not events("incident.reported")
    assert not AuditRecord.objects.filter(action__startswith="incidents.").exists()


def test_the_time_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as exc:
        report(world, at=timezone.now() + timedelta(minutes=10))
    assert exc.value.message_dict["occurred_at"] == ["The time it happened cannot be in the future."]


def test_a_fall_names_the_resident_and_residents_must_be_of_the_home(world):
    with pytest.raises(ValidationError) as exc:
        report(world, resident=None)
    assert "residents" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        report(world, people=[{"role": "affected", "kind": "resident", "resident_id": world.foreign_resident.pk}])
    assert exc.value.message_dict["people.1"] == ["Choose a resident of this home."]
    with pytest.raises(ValidationError) as exc:
        report(world, people=[{"role": "witness", "kind": "visitor", "name": ""}])
    assert exc.value.message_dict["people.1"] == ["Enter the person's name."]
    with pytest.raises(ValidationError) as exc:
        report(world, injuries=[{"body_location": "tail", "kind": "bruise"}])
    assert "injuries.0" in exc.value.message_dict
    assert not Incident.unscoped.exists()


def test_a_utility_failure_needs_no_resident(world):
    incident = report(world, resident=None, kind="utility_failure", severity="no_harm", disruption_hours=30)
    assert incident.disruption_hours == 30
    with in_home(world.home):
        assert not incident.people.exists()


def test_a_failing_reaction_of_another_sub_domain_leaves_nothing(world, monkeypatch):
    def boom(incident, by):
        raise RuntimeError("a sub-domain failed")

    monkeypatch.setattr(services_report.lifecycle, "after_report", boom)
    with pytest.raises(RuntimeError):
        report(world)
    assert not Incident.unscoped.exists() and not IncidentPerson.unscoped.exists()
    assert not events("incident.reported")


def test_a_correction_is_a_new_version_with_the_reason_and_tells_the_sub_domains(world, monkeypatch):
    incident = report(world)
    seen = []
    monkeypatch.setattr(services_report.lifecycle, "after_change", lambda i, by, changed: seen.append(changed))
    nurse = world.users["nurse"]
    with in_home(world.home):
        changed = change_incident(
            incident.pk,
            user=nurse,
            reason="The GP confirmed a fracture of the wrist.",
            values={"severity": "severe", "serious_injury_tests": ["body_structure"], "location": "Lounge"},
            if_match='"v1"',
        )
    assert changed.version == 2 and changed.severity == "severe"
    assert seen == [["severity", "serious_injury_tests", "location"]]
    [event] = events("incident.changed")
    assert event.payload["changed"] == ["severity", "serious_injury_tests", "location"]
    v2 = RecordVersion.objects.get(content_type="incidents.incident", object_id=str(incident.pk), version=2)
    assert v2.reason == "The GP confirmed a fracture of the wrist." and "severity" in v2.changed
    with in_home(world.home), pytest.raises(PreconditionFailed):
        change_incident(incident.pk, user=nurse, reason="again", values={"severity": "low"}, if_match='"v1"')
    with in_home(world.home), pytest.raises(ValidationError) as exc:
        change_incident(incident.pk, user=nurse, reason="  ", values={"severity": "low"})
    assert "reason" in exc.value.message_dict


def test_people_and_injuries_added_later_are_audited(world):
    incident = report(world)
    with in_home(world.home):
        witness = add_person(
            incident.pk,
            user=world.users["senior_carer"],
            person={"role": "witness", "kind": "staff", "name": "Sam Senior", "statement": "I saw her slip."},
        )
        add_injury(
            incident.pk,
            user=world.users["nurse"],
            injury={
                "person_id": incident.people.get(role="affected").pk,
                "body_location": "left_hand",
                "kind": "bruise",
            },
        )
        with pytest.raises(ValidationError):
            add_injury(incident.pk, user=world.users["nurse"], injury={"person_id": 0, "body_location": "chest"})
    assert witness.statement == "I saw her slip."
    assert AuditRecord.objects.filter(action="incidents.person.added").count() == 2
    assert AuditRecord.objects.filter(action="incidents.injury.recorded").count() == 1


def test_closing_is_refused_while_steps_are_open_then_closes(world, monkeypatch):
    incident = report(world)
    step = OpenStep(incident.pk, incident.reference, "candour", "Apologise in person", None, "/x/")
    monkeypatch.setattr(obligations, "open_steps", lambda i: [step])
    manager = world.users["registered_manager"]
    with in_home(world.home), pytest.raises(OpenStepsRemain) as exc:
        close_incident(incident.pk, user=manager, summary="Done.")
    assert exc.value.steps == [step] and exc.value.status == 409
    assert "Apologise in person" in exc.value.detail
    monkeypatch.setattr(obligations, "open_steps", lambda i: [])
    with in_home(world.home):
        with pytest.raises(ValidationError):
            close_incident(incident.pk, user=manager, summary=" ")
        closed = close_incident(incident.pk, user=manager, summary="Sensor mat in place; no injury.")
        assert closed.status == "closed" and closed.closed_by == manager and closed.version == 2
        with pytest.raises(ValidationError):
            add_person(incident.pk, user=manager, person={"kind": "visitor", "role": "witness", "name": "Late"})
    [event] = events("incident.closed")
    assert event.payload["reference"] == incident.reference


def test_a_fall_in_the_daily_notes_raises_one_incident_to_complete(world):
    with in_home(world.home):
        note = record_note(
            resident_id=world.resident.pk,
            user=world.users["carer"],
            category="mobility",
            text="Found on the floor by the bed.",
            occurred_at=timezone.now() - timedelta(minutes=20),
            fall=True,
        )
    outcome = dispatcher.run_due()
    assert not outcome.get("dead") and not outcome.get("retry"), outcome
    [incident] = Incident.unscoped.filter(source="care_note")
    assert incident.source_ref == f"care_records.note:{note.pk}" and incident.needs_details
    assert incident.kind == "fall" and incident.reported_by is None
    with in_home(world.home):
        again = raise_from_fall_note(note_id=note.pk, resident_id=world.resident.pk, occurred_at=note.occurred_at)
        assert again.pk == incident.pk and Incident.objects.count() == 1
        with pytest.raises(ValidationError) as exc:
            close_incident(incident.pk, user=world.users["registered_manager"], summary="Nothing to add.")
        assert "Complete the details" in exc.value.messages[0]
        completed = change_incident(
            incident.pk, user=world.users["nurse"], reason="Details completed", values={"witnessed": False}
        )
    assert completed.needs_details is False


def test_a_death_raises_a_death_incident_once(world):
    with in_home(world.home):
        residents.record_death(
            world.resident,
            died_at=timezone.now() - timedelta(hours=1),
            verified_by="Dr Rees",
            verified_role="GP",
            expected=False,
            place="Own room",
        )
    dispatcher.run_due()
    [incident] = Incident.unscoped.filter(source="resident_died")
    assert incident.kind == "death" and incident.severity == "death" and incident.unexpected_or_unintended
    with in_home(world.home):
        assert raise_from_death(resident_id=world.resident.pk, died_at=incident.occurred_at, expected=False) == incident
        assert public.open_incident_count(world.resident.pk) == 1
        assert [i.reference for i in public.incidents_of_resident(world.resident.pk)] == [incident.reference]
