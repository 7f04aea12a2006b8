"""The resident's lifecycle: every allowed and refused transition, bed capacity, events once in
the transaction (rollback: none), audit records and versions, milestones."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests import factories as f
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import public, services
from writecarenotes.residents.models import Milestone, Resident

NOW = timezone.now


def _events(name):
    return list(OutboxEvent.unscoped.filter(name=name))


@pytest.fixture
def home(world):
    with acting_for([world.home]):
        yield world.home


@pytest.fixture
def free_room(world, home):
    return Room.objects.create(home=world.home, unit=world.unit, number="12", beds=2)


def enquiry(home, **kw):
    kw.setdefault("legal_given_names", "Dorothy May")
    kw.setdefault("legal_family_name", "Hughes")
    kw.setdefault("date_of_birth", date(1938, 5, 17))
    kw.setdefault("nhs_number", "")
    return services.create_enquiry(home=home, **kw)


def assessed(home, outcome="suitable"):
    r = enquiry(home)
    return services.record_pre_admission(
        r,
        assessed_on=timezone.localdate() - timedelta(days=1),
        assessed_by="Sam Reid, deputy manager",
        summary="Mobile with frame.",
        outcome=outcome,
    )


def admitted(home, room):
    return services.admit(assessed(home), room=room, admitted_at=NOW() - timedelta(hours=1))


def test_enquiry_assessment_admission_absence_return_discharge(world, home, free_room):
    r = enquiry(home, nhs_number="943 476 5919")
    assert r.status == "enquiry" and r.nhs_number == "9434765919"
    assert len(_events("resident.enquiry_created")) == 1
    r = services.record_pre_admission(
        r,
        assessed_on=timezone.localdate() - timedelta(days=1),
        assessed_by="Sam Reid",
        summary="Needs help with meals.",
        outcome="suitable",
    )
    assert r.status == "pre_admission"
    r = services.admit(r, room=free_room, admitted_at=NOW() - timedelta(hours=2))
    assert (r.status, r.room_id, r.unit_id) == ("in_residence", free_room.pk, world.unit.pk)
    assert r.admitted_on == timezone.localdate(NOW() - timedelta(hours=2))
    assert public.is_current(r.pk)
    r = services.start_absence(r, kind="hospital", started_at=NOW() - timedelta(hours=1), reason="Fall, X-ray")
    assert r.status == "temporarily_absent" and r.room_id == free_room.pk  # the bed is held
    assert public.is_current(r.pk)
    r = services.record_return(r, returned_at=NOW())
    assert r.status == "in_residence" and r.absence_kind == ""
    r = services.discharge(r, discharged_at=NOW(), destination="care_home", reason="Needs nursing care")
    assert r.status == "discharged" and not public.is_current(r.pk)
    for name in ("admitted", "absence_started", "returned", "discharged", "pre_admission_assessed"):
        assert len(_events(f"resident.{name}")) == 1, name
    kinds = sorted(Milestone.objects.filter(resident=r).values_list("kind", flat=True))
    assert kinds == sorted(["enquiry", "pre_admission", "admitted", "absence", "returned", "discharged"])
    versions = RecordVersion.objects.filter(content_type="residents.resident", object_id=str(r.pk)).count()
    assert versions == 6
    audit = AuditRecord.objects.filter(subject_type="residents.resident", subject_id=str(r.pk), kind="change")
    assert {a.action for a in audit} >= {"residents.resident.admitted", "residents.resident.discharged"}


def test_death_while_in_hospital(world, home, free_room):
    r = admitted(home, free_room)
    r = services.start_absence(r, kind="hospital", started_at=NOW() - timedelta(minutes=30))
    r = services.record_death(
        r, died_at=NOW(), verified_by="Dr Patel", verified_role="Hospital doctor", expected=False, place="Hospital"
    )
    assert r.status == "deceased" and r.death_expected is False
    [event] = _events("resident.died")
    assert event.payload["expected"] is False and event.payload["resident_id"] == r.pk


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("enquiry", "admit"),
        ("enquiry", "absence"),
        ("enquiry", "return"),
        ("enquiry", "discharge"),
        ("enquiry", "death"),
        ("enquiry", "room"),
        ("pre_admission", "absence"),
        ("pre_admission", "return"),
        ("pre_admission", "discharge"),
        ("pre_admission", "death"),
        ("in_residence", "assess"),
        ("in_residence", "admit"),
        ("in_residence", "return"),
        ("temporarily_absent", "admit"),
        ("temporarily_absent", "absence"),
        ("temporarily_absent", "assess"),
        ("discharged", "admit"),
        ("discharged", "absence"),
        ("discharged", "return"),
        ("discharged", "discharge"),
        ("discharged", "death"),
        ("discharged", "room"),
        ("deceased", "admit"),
        ("deceased", "discharge"),
        ("deceased", "death"),
        ("deceased", "return"),
        ("deceased", "assess"),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(world, home, free_room, status, action):
    r = f.resident(world.home, status=status, family="Refused", nhs_number="")
    if status == "pre_admission":
        Resident.objects.filter(pk=r.pk).update(pre_admission_outcome="suitable")
    before_events = OutboxEvent.unscoped.count()
    calls = {
        "assess": lambda: services.record_pre_admission(
            r, assessed_on=timezone.localdate() - timedelta(days=1), assessed_by="A", summary="B", outcome="suitable"
        ),
        "admit": lambda: services.admit(r, room=free_room, admitted_at=NOW()),
        "absence": lambda: services.start_absence(r, kind="social", started_at=NOW()),
        "return": lambda: services.record_return(r, returned_at=NOW()),
        "discharge": lambda: services.discharge(r, discharged_at=NOW(), destination="home", reason="Went home"),
        "death": lambda: services.record_death(
            r, died_at=NOW(), verified_by="RN Jones", verified_role="Nurse", expected=True, place="Room"
        ),
        "room": lambda: services.change_room(r, room=free_room, reason="Quieter"),
    }
    with pytest.raises(ValidationError) as exc:
        calls[action]()
    assert "Refused" in " ".join(exc.value.messages) and "you cannot" in " ".join(exc.value.messages)
    assert Resident.objects.get(pk=r.pk).status == status
    assert OutboxEvent.unscoped.count() == before_events


def test_admission_needs_a_suitable_assessment(world, home, free_room):
    r = assessed(home, outcome="not_suitable")
    with pytest.raises(ValidationError, match="unsuitable"):
        services.admit(r, room=free_room, admitted_at=NOW())
    # Reassessed as suitable: now it can.
    r = services.record_pre_admission(
        r,
        assessed_on=timezone.localdate() - timedelta(days=1),
        assessed_by="RM",
        summary="Needs changed",
        outcome="suitable",
    )
    assert services.admit(r, room=free_room, admitted_at=NOW()).status == "in_residence"


def test_a_room_never_holds_more_residents_than_beds(world, home, free_room):
    # free_room has 2 beds
    a = admitted(home, free_room)
    b = services.admit(enquiry_assessed := assessed(home), room=free_room, admitted_at=NOW())  # noqa: F841
    with pytest.raises(ValidationError) as exc:
        services.admit(assessed(home), room=free_room, admitted_at=NOW())
    assert "no free bed" in exc.value.message_dict["room"][0]
    # A resident away in hospital keeps their bed.
    services.start_absence(a, kind="hospital", started_at=NOW())
    with pytest.raises(ValidationError):
        services.admit(assessed(home), room=free_room, admitted_at=NOW())
    # Discharge frees it.
    services.discharge(b, discharged_at=NOW(), destination="home", reason="Respite ended")
    assert services.admit(assessed(home), room=free_room, admitted_at=NOW()).room_id == free_room.pk
    assert free_room not in services.free_rooms(world.home.pk)


def test_room_of_another_home_is_refused(world, home):
    with acting_for([world.home, world.other_home]):
        other_room = Room.objects.get(home=world.other_home)
        r = assessed(world.home)
        with pytest.raises(ValidationError, match="room of this home"):
            services.admit(r, room=other_room, admitted_at=NOW())


def test_change_room(world, home, free_room):
    r = Resident.objects.get(pk=world.resident.pk)
    r = services.change_room(r, room=free_room, reason="Nearer the nurses' station")
    assert r.room_id == free_room.pk
    [event] = _events("resident.room_changed")
    assert event.payload["from_room_id"] == world.room.pk and event.payload["to_room_id"] == free_room.pk
    with pytest.raises(ValidationError, match="already their room"):
        services.change_room(r, room=free_room, reason="again")
    with pytest.raises(ValidationError):
        services.change_room(r, room=world.room, reason="")


def test_times_cannot_be_in_the_future_or_out_of_order(world, home, free_room):
    r = assessed(home)
    with pytest.raises(ValidationError) as exc:
        services.admit(r, room=free_room, admitted_at=NOW() + timedelta(hours=2))
    assert "future" in exc.value.message_dict["admitted_at"][0]
    r = services.admit(r, room=free_room, admitted_at=NOW() - timedelta(hours=3))
    with pytest.raises(ValidationError) as exc:
        services.start_absence(r, kind="hospital", started_at=NOW() - timedelta(days=2))
    assert "before admission" in exc.value.message_dict["started_at"][0]
    with pytest.raises(ValidationError) as exc:
        services.record_death(r, died_at=NOW(), verified_by="", verified_role="Nurse", expected=True, place="Room")
    assert "verified_by" in exc.value.message_dict


def test_a_rolled_back_transition_leaves_no_event_audit_or_version(world, home, free_room):
    r = assessed(home)
    counts = (OutboxEvent.unscoped.count(), AuditRecord.objects.count(), RecordVersion.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        services.admit(r, room=free_room, admitted_at=NOW())
        raise RuntimeError("crash after the service")
    assert (OutboxEvent.unscoped.count(), AuditRecord.objects.count(), RecordVersion.objects.count()) == counts
    assert Resident.objects.get(pk=r.pk).status == "pre_admission"
    assert not Milestone.objects.filter(resident_id=r.pk, kind="admitted").exists()


def test_each_transition_publishes_its_event_exactly_once(world, home, free_room):
    r = admitted(home, free_room)
    events = _events("resident.admitted")
    assert len(events) == 1 and events[0].payload["room_id"] == free_room.pk
    assert events[0].payload["resident_id"] == r.pk
    assert events[0].home_id == world.home.pk


def test_enquiry_validates_names_dates_and_number(world, home):
    with pytest.raises(ValidationError) as exc:
        services.create_enquiry(
            home=world.home,
            legal_given_names="",
            legal_family_name="X",
            date_of_birth=date(2090, 1, 1),
            nhs_number="943 476 5918",
        )
    assert set(exc.value.message_dict) == {"legal_given_names", "date_of_birth", "nhs_number"}


def test_public_refs(world, home, free_room):
    r = admitted(home, free_room)
    ref = public.get_resident(r.pk)
    assert (ref.room, ref.unit_name, ref.status, ref.height_cm) == ("12", world.unit.name, "in_residence", None)
    assert r.pk in [x.id for x in public.current_residents(unit_id=world.unit.pk)]
    with pytest.raises(public.ResidentNotFound):
        public.get_resident(world.foreign_resident.pk)
    assert not public.is_current(world.foreign_resident.pk)


def test_naive_datetimes_are_taken_as_local_time(world, home, free_room):
    r = assessed(home)
    naive = datetime.now() - timedelta(hours=1)  # noqa: DTZ005
    assert services.admit(r, room=free_room, admitted_at=naive).admitted_at is not None


def test_a_second_current_record_with_the_same_number_is_refused(world, home, free_room):
    first = enquiry(home, nhs_number="943 476 5919")
    with pytest.raises(ValidationError) as exc:
        enquiry(home, nhs_number="9434765919", legal_given_names="Dot")
    assert "Dorothy Hughes" in exc.value.message_dict["nhs_number"][0]
    # Once the first record is closed (discharged), a new enquiry for the same person is fine.
    r = services.admit(
        services.record_pre_admission(
            first,
            assessed_on=timezone.localdate() - timedelta(days=1),
            assessed_by="RM",
            summary="x",
            outcome="suitable",
        ),
        room=free_room,
        admitted_at=NOW(),
    )
    services.discharge(r, discharged_at=NOW(), destination="home", reason="Went home")
    assert enquiry(home, nhs_number="9434765919").status == "enquiry"
