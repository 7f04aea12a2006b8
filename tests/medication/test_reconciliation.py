"""Medicines reconciliation: opened when a resident is admitted or comes back from hospital (residents'
events), lines with what each source says and the decision, completion applying every decision to the
orders in one transaction (or none of them), a second checker who is another person."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import services_reconciliation as svc
from writecarenotes.medication.models import (
    Decision,
    MedicationOrder,
    OrderStatus,
    Reconciliation,
    ReconciliationStatus,
)
from writecarenotes.platform.events import dispatcher
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.platform.tenancy.models import Room
from writecarenotes.residents import services as residents
from writecarenotes.residents.models import Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def nka(world):
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)


def _open(world, **kw):
    with in_home(world.home):
        return svc.start(user=world.users["nurse"], resident_id=world.resident.pk, occasion="admission", **kw)


def _line(world, recon, **kw):
    kw.setdefault("sources", {"gp_record": "as listed"})
    with in_home(world.home):
        return svc.add_line(recon.pk, user=world.users["nurse"], **kw)


def test_completion_starts_changes_and_stops_orders_in_one_go(world, meds, nka):
    keep = order(world, meds.lactulose, times=["08:00"])
    change = order(world, meds.warfarin, times=["18:00"])
    stop = order(world, meds.naproxen)
    recon = _open(world, sources_checked=["gp_record"])
    _line(world, recon, order_id=keep.pk, medicine_id=None, decision=Decision.CONTINUE)
    _line(
        world,
        recon,
        order_id=change.pk,
        medicine_id=None,
        decision=Decision.CHANGE,
        reason="INR 3.4: dose lowered",
        sources={"discharge_letter": "warfarin 0.5 mg", "gp_record": "warfarin 1 mg"},
        order_values={"dose": "0.5"},
        acknowledgement="Naproxen is stopped in this reconciliation",
    )
    _line(
        world,
        recon,
        order_id=stop.pk,
        medicine_id=None,
        decision=Decision.STOP,
        reason="Stopped in hospital: GI bleed",
        sources={"discharge_letter": "naproxen stopped"},
    )
    _line(
        world,
        recon,
        medicine_id=meds.cocareldopa.pk,
        decision=Decision.NEW,
        reason="Started in hospital",
        sources={"discharge_letter": "co-careldopa 1 tablet 08:00 14:00 20:00"},
        order_values={
            "prescriber": "Dr Hospital",
            "source": "hospital",
            "dose": "1",
            "times": ["08:00", "14:00", "20:00"],
        },
    )
    with in_home(world.home):
        done = svc.complete(recon.pk, user=world.users["nurse"], second_checker=world.users["deputy_manager"])
        assert done.status == ReconciliationStatus.COMPLETED and done.second_checker == world.users["deputy_manager"]
        change.refresh_from_db()
        stop.refresh_from_db()
        assert str(change.dose.normalize()) == "0.5" and change.version == 2
        assert stop.status == OrderStatus.STOPPED and "GI bleed" in stop.status_reason
        new = MedicationOrder.objects.get(medicine=meds.cocareldopa)
        assert new.source == "hospital" and new.time_critical and new.times == ["08:00", "14:00", "20:00"]
        event = OutboxEvent.objects.get(name="medication.reconciliation_completed")
        assert event.payload["started"] == [new.pk] and event.payload["stopped"] == [stop.pk]
        assert event.payload["changed"] == [change.pk]
        assert "reconciliation" in stop.status_reason.lower()


def test_every_current_medicine_needs_a_decision_before_completion(world, meds, nka):
    a = order(world, meds.lactulose)
    order(world, meds.warfarin)
    recon = _open(world, sources_checked=["gp_record"])
    _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.CONTINUE)
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.complete(recon.pk, user=world.users["nurse"])
    assert "Warfarin 1 mg tablets" in str(exc.value)


def test_a_failing_line_leaves_every_order_unchanged(world, meds, nka):
    stop = order(world, meds.naproxen)
    recon = _open(world, sources_checked=["gp_record"])
    _line(world, recon, order_id=stop.pk, medicine_id=None, decision=Decision.STOP, reason="stopped")
    _line(
        world,
        recon,
        medicine_id=meds.lactulose.pk,
        decision=Decision.NEW,
        reason="new",
        order_values={"prescriber": "Dr B", "dose": "10", "times": ["08:00"]},
    )
    with in_home(world.home):
        type(meds.lactulose).objects.filter(pk=meds.lactulose.pk).update(active=False)  # refused at completion
        with pytest.raises(ValidationError) as exc:
            svc.complete(recon.pk, user=world.users["nurse"])
        assert "Lactulose" in str(exc.value)
        stop.refresh_from_db()
        assert stop.status == OrderStatus.ACTIVE
        assert Reconciliation.objects.get(pk=recon.pk).status == ReconciliationStatus.OPEN


def test_line_rules(world, meds, nka):
    a = order(world, meds.lactulose)
    recon = _open(world)
    with pytest.raises(ValidationError) as exc:
        _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.STOP, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.CONTINUE, sources={})
    assert "sources" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _line(world, recon, medicine_id=meds.lactulose.pk, decision=Decision.STOP, reason="x")
    assert "order_id" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        _line(
            world,
            recon,
            medicine_id=meds.paracetamol.pk,
            decision=Decision.NEW,
            reason="x",
            order_values={"prescriber": "Dr", "dose": "0", "times": ["08:00"]},
        )
    assert "dose" in exc.value.message_dict
    _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.CONTINUE)
    with pytest.raises(ValidationError) as exc:
        _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.QUERY, reason="twice")
    assert "already has a decision" in str(exc.value)


def test_a_new_medicine_with_findings_needs_the_nurses_reason_on_the_line(world, meds, nka):
    order(world, meds.ibuprofen)
    recon = _open(world)
    from writecarenotes.medication.services_orders import AcknowledgementRequired

    values = {"prescriber": "Dr H", "dose": "1", "times": ["08:00"]}
    with pytest.raises(AcknowledgementRequired):
        _line(world, recon, medicine_id=meds.naproxen.pk, decision=Decision.NEW, reason="hospital", order_values=values)
    line = _line(
        world,
        recon,
        medicine_id=meds.naproxen.pk,
        decision=Decision.NEW,
        reason="hospital",
        order_values=values,
        acknowledgement="Hospital to stop ibuprofen: checked with GP",
    )
    assert line.order_values["_acknowledgement"].startswith("Hospital")


def test_the_second_checker_must_be_another_person_and_sources_are_needed(world, meds, nka):
    recon = _open(world)
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.complete(recon.pk, user=world.users["nurse"], second_checker=world.users["nurse"])
    assert "second_checker" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.complete(recon.pk, user=world.users["nurse"])
    assert "sources_checked" in exc.value.message_dict


def test_a_withdrawn_line_no_longer_counts(world, meds, nka):
    a = order(world, meds.lactulose)
    recon = _open(world, sources_checked=["pharmacy"])
    line = _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.STOP, reason="wrong resident")
    with in_home(world.home):
        svc.withdraw_line(line.pk, user=world.users["nurse"], reason="Added in error")
        with pytest.raises(ValidationError):
            svc.complete(recon.pk, user=world.users["nurse"])  # the order has no decision any more
    _line(world, recon, order_id=a.pk, medicine_id=None, decision=Decision.CONTINUE)
    with in_home(world.home):
        svc.complete(recon.pk, user=world.users["nurse"])
        a.refresh_from_db()
        assert a.status == OrderStatus.ACTIVE


def test_admission_and_hospital_return_open_a_reconciliation_from_residents_events(world):
    with in_home(world.home):
        room = Room.objects.create(home=world.home, unit=world.unit, number="22", beds=1)
        r = residents.create_enquiry(
            home=world.home, legal_given_names="Ada", legal_family_name="Hill", date_of_birth=date(1940, 1, 1)
        )
        r = residents.record_pre_admission(
            r, assessed_on=timezone.localdate() - timedelta(days=1), assessed_by="Sam", summary="ok", outcome="suitable"
        )
        r = residents.admit(r, room=room, admitted_at=timezone.now() - timedelta(hours=1))
    dispatcher.run_due()
    dispatcher.run_due()
    with in_home(world.home):
        recon = Reconciliation.objects.get(resident_id=r.pk)
        assert recon.occasion == "admission" and recon.status == ReconciliationStatus.OPEN
        recon.status = ReconciliationStatus.COMPLETED
        recon.save()
        r = Resident.objects.get(pk=r.pk)
        r = residents.start_absence(
            r, kind="hospital", started_at=timezone.now() - timedelta(minutes=30), reason="fall"
        )
    dispatcher.run_due()
    with in_home(world.home):
        away = Reconciliation.objects.get(resident_id=r.pk, status=ReconciliationStatus.AWAITING_RETURN)
        assert away.occasion == "hospital_return"
        residents.record_return(Resident.objects.get(pk=r.pk), returned_at=timezone.now() - timedelta(minutes=5))
    dispatcher.run_due()
    with in_home(world.home):
        away.refresh_from_db()
        assert away.status == ReconciliationStatus.OPEN
