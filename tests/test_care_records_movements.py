"""Residents' comings and goings as care records see them: the ResidentMovement read model fed by
residents' domain events (admitted, away, back, discharged, died, moved room), applied once, and
the shift handover of the unit listing them. Runs on the real migrations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from writecarenotes.care_records import handover as handovers
from writecarenotes.care_records import rules
from writecarenotes.care_records.models import ResidentMovement
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import Delivery, DeliveryStatus, ProcessedEvent
from writecarenotes.platform.tenancy.models import Room, Unit
from writecarenotes.platform.tenancy.scope import acting_for
from writecarenotes.residents import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(world):
    with acting_for([world.home]):
        yield world.home


@pytest.fixture
def room(world, home):
    return Room.objects.create(home=world.home, unit=world.unit, number="14", beds=1)


def _assessed(home, family="Hughes"):
    r = services.create_enquiry(
        home=home, legal_given_names="Dorothy May", legal_family_name=family, date_of_birth=date(1938, 5, 17)
    )
    return services.record_pre_admission(
        # assessed the day before: admissions in these tests are hours ago, which after midnight is yesterday
        r,
        assessed_on=timezone.localdate() - timedelta(days=1),
        assessed_by="Sam Reid",
        summary="Mobile with frame.",
        outcome="suitable",
    )


def _movements(world, **filters):
    with acting_for([world.home]):
        return list(ResidentMovement.objects.filter(**filters).order_by("at", "pk"))


def test_an_admission_becomes_one_movement_even_when_delivered_twice(world, home, room):
    at = timezone.now() - timedelta(minutes=30)
    r = services.admit(_assessed(home), room=room, admitted_at=at)
    assert _movements(world) == []  # nothing until the event is delivered
    outcome = dispatcher.run_due()
    assert outcome["done"] >= 1 and not outcome.get("retry") and not outcome.get("dead")
    [m] = _movements(world)
    assert (m.resident_id, m.kind, m.unit_id, m.at, m.home_id) == (r.pk, "admitted", world.unit.pk, at, world.home.pk)
    assert m.detail == "Room 14"

    # The engine delivers the same event again (its "processed" mark lost): still one movement.
    ours = Delivery.unscoped.filter(subscriber="care_records.movement_admitted")
    assert ours.count() == 1 and ours.get().context == "care_records"
    ProcessedEvent.objects.filter(subscriber="care_records.movement_admitted").delete()
    ours.update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now() - timedelta(seconds=1))
    assert dispatcher.run_due() == {"done": 1}
    assert len(_movements(world)) == 1


def test_absence_return_room_change_and_death_are_recorded_with_detail(world, home, room):
    r = services.admit(_assessed(home), room=room, admitted_at=timezone.now() - timedelta(hours=5))
    services.start_absence(
        r, kind="hospital", started_at=timezone.now() - timedelta(hours=4), expected_return=timezone.localdate()
    )
    services.record_return(r, returned_at=timezone.now() - timedelta(hours=3))
    upstairs = Unit.objects.create(home=world.home, name="First floor")
    Room.objects.create(home=world.home, unit=upstairs, number="21")
    services.change_room(r, room=Room.objects.get(number="21"), reason="Nearer the nurses' station")
    died_at = timezone.now()  # after the room change (stamped when it was made)
    services.record_death(
        r, died_at=died_at, verified_by="Ann Lee", verified_role="Nurse", expected=True, place="Own room"
    )
    dispatcher.run_due()
    moves = _movements(world, resident_id=r.pk)
    assert [m.kind for m in moves] == ["admitted", "absence_started", "returned", "room_changed", "died"]
    admitted, away, back, moved, died = moves
    assert away.detail.startswith("Hospital") and "expected back" in away.detail and away.unit_id == world.unit.pk
    assert moved.unit_id == upstairs.pk and moved.detail == "From room 14 to room 21"
    assert died.at == died_at and died.detail == "Expected death" and died.unit_id == upstairs.pk


def test_a_discharge_records_where_they_went(world, home, room):
    r = services.admit(_assessed(home), room=room, admitted_at=timezone.now() - timedelta(hours=2))
    services.discharge(
        r, discharged_at=timezone.now() - timedelta(hours=1), destination="care_home", reason="Nearer family"
    )
    dispatcher.run_due()
    [_admitted, gone] = _movements(world, resident_id=r.pk)
    assert gone.kind == "discharged" and gone.detail == "To: Another care home" and gone.unit_id == world.unit.pk


def test_the_handover_of_the_unit_lists_the_admission(world, home, room, client_for):
    at = timezone.now() - timedelta(minutes=10)
    r = services.admit(_assessed(home, family="Prosser"), room=room, admitted_at=at)
    dispatcher.run_due()
    start, end = rules.shift_bounds(timezone.localtime(at))
    summary = handovers.generate_summary(world.unit.pk, start, end)
    [move] = summary["movements"]
    assert (move["resident_id"], move["kind"], move["label"], move["room"]) == (r.pk, "admitted", "New admission", "14")
    assert [i["resident_id"] for i in summary["new_residents"]] == [r.pk]
    # another unit's handover does not list it; the shift before does not either
    other = Unit.objects.create(home=world.home, name="Annexe")
    assert handovers.generate_summary(other.pk, start, end)["movements"] == []
    before = rules.previous_shift_bounds(timezone.localtime(at))
    assert handovers.generate_summary(world.unit.pk, *before)["movements"] == []

    shift = timezone.localtime(start).strftime("%Y-%m-%dT%H:%M")
    page = client_for(world.users["carer"]).get(f"/care/units/{world.unit.pk}/handover/", {"shift": shift})
    text = page.content.decode()
    assert page.status_code == 200
    assert "New admission" in text and "Prosser" in text and "Room 14" in text


def test_a_rolled_back_admission_leaves_no_movement(world, home, room):
    assessed = _assessed(home)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.admit(assessed, room=room, admitted_at=timezone.now() - timedelta(minutes=5))
        raise RuntimeError("the rest of the change failed")
    dispatcher.run_due()
    assert _movements(world) == []
    assert not Delivery.unscoped.filter(subscriber="care_records.movement_admitted").exists()
