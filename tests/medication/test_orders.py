"""Medication orders through the services: validation at its exact boundaries, the prescribing checks'
findings (acknowledged with a reason, or refusing the order), versions with reasons, suspend / resume /
stop, the events and the audit trail."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.medication.conftest import in_home, order
from writecarenotes.medication import services_orders as svc
from writecarenotes.medication.models import MedicationOrder, OrderStatus, PrescribingAcknowledgement
from writecarenotes.platform.api.concurrency import PreconditionFailed
from writecarenotes.platform.audit.models import AuditRecord, RecordVersion
from writecarenotes.platform.events.models import OutboxEvent
from writecarenotes.residents.models import Allergy, Resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def nka(world):
    """The resident's allergies are recorded as "no known allergies" (no allergy-status finding)."""
    Resident.unscoped.filter(pk=world.resident.pk).update(no_known_allergies=True)
    return world.resident


def regular(**extra) -> dict:
    return {"prescriber": "Dr A Patel", "dose": "1", "times": ["08:00"], "start_date": timezone.localdate(), **extra}


def prn(**extra) -> dict:
    values = {
        "prescriber": "Dr A Patel",
        "dose": "1",
        "dose_max": "2",
        "is_prn": True,
        "start_date": timezone.localdate(),
        "prn_indication": "Pain",
        "prn_min_interval_minutes": 240,
        "prn_max_doses_24h": 4,
        "prn_expected_effect": "Pain eased",
        "prn_review_date": timezone.localdate() + timedelta(days=28),
    }
    values.update(extra)
    return values


def start(world, medicine, values, **kw):
    with in_home(world.home):
        return svc.start_order(
            user=world.users["nurse"], resident_id=world.resident.pk, medicine_id=medicine.pk, values=values, **kw
        )


def errors_of(exc) -> dict:
    return exc.value.message_dict


# --- validation -----------------------------------------------------------------------------------


def test_a_regular_order_is_started_with_its_first_version_and_event(world, meds, nka):
    o = start(world, meds.paracetamol, regular(times=["18:00", "08:00"]))
    assert o.status == OrderStatus.ACTIVE and o.times == ["08:00", "18:00"] and o.version == 1
    with in_home(world.home):
        assert RecordVersion.objects.filter(content_type="medication.medicationorder", object_id=str(o.pk)).count() == 1
        event = OutboxEvent.objects.get(name="medication.order_started")
    assert event.payload["order_id"] == o.pk and event.payload["medicine"] == "Paracetamol 500 mg tablets"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (regular(dose="0"), "dose", "more than 0"),
        (regular(dose="-1"), "dose", "more than 0"),
        (regular(dose="1", dose_max="0.999"), "dose_max", "cannot be less than the dose"),
        (regular(times=[]), "times", "at least one time"),
        (regular(times=["24:00"]), "times", "not a time of day"),
        (regular(times=["8:00"]), "times", "not a time of day"),
        (regular(times=["08:00", "08:00"]), "times", "listed twice"),
        (regular(days_of_week=[7]), "days_of_week", "0 (Monday) to 6"),
        (regular(days_of_week=[-1]), "days_of_week", "0 (Monday) to 6"),
        (regular(stop_date=timezone.localdate() - timedelta(days=1)), "stop_date", "before the start"),
        (regular(prescriber=""), "prescriber", "prescriber"),
        (prn(prn_indication=""), "prn_indication", "when to give"),
        (prn(prn_min_interval_minutes=None), "prn_min_interval_minutes", "minimum time"),
        (prn(prn_max_doses_24h=None), "prn_max_doses_24h", "most in any 24 hours"),
        (prn(prn_expected_effect=""), "prn_expected_effect", "effect"),
        (prn(prn_review_date=None), "prn_review_date", "review"),
        (prn(times=["08:00"]), "times", "no set times"),
        (prn(prn_max_doses_24h=None, prn_max_amount_24h="1.999"), "prn_max_amount_24h", "One dose cannot be more"),
    ],
)
def test_invalid_orders_are_refused_with_the_field_named(world, meds, nka, values, field, message):
    with pytest.raises(ValidationError) as exc:
        start(world, meds.paracetamol, values)
    assert field in errors_of(exc) and message in " ".join(errors_of(exc)[field])
    with in_home(world.home):
        assert not MedicationOrder.objects.exists()


def test_boundaries_that_are_allowed(world, meds, nka):
    today = timezone.localdate()
    o = start(
        world,
        meds.paracetamol,
        regular(dose="0.001", dose_max="0.001", stop_date=today, times=["00:00", "23:59"], days_of_week=[0, 6]),
    )
    assert o.stop_date == o.start_date and o.days_of_week == [0, 6]
    p = start(world, meds.ibuprofen, prn(prn_max_doses_24h=None, prn_max_amount_24h="2"), acknowledgement="reviewed")
    assert p.prn_max_amount_24h == Decimal("2") and p.is_prn


def test_an_inactive_medicine_or_a_former_resident_is_refused(world, meds, nka):
    with in_home(world.home):
        type(meds.lactulose).objects.filter(pk=meds.lactulose.pk).update(active=False)
    with pytest.raises(ValidationError) as exc:
        start(world, meds.lactulose, regular())
    assert "inactive" in errors_of(exc)["medicine_id"][0]
    Resident.unscoped.filter(pk=world.resident.pk).update(status="discharged")
    with pytest.raises(ValidationError) as exc:
        start(world, meds.paracetamol, regular())
    assert "resident_id" in errors_of(exc)


def test_another_homes_medicine_is_refused(world, meds, nka):
    from tests.medication.conftest import medicine

    elsewhere = medicine(world.other_home, "Senna 7.5 mg tablets", "tablet", "tablet", [("senna", 7.5, ["laxative"])])
    with pytest.raises(ValidationError) as exc, in_home(world.home):
        svc.start_order(
            user=world.users["nurse"], resident_id=world.resident.pk, medicine_id=elsewhere.pk, values=regular()
        )
    assert "medicine_id" in errors_of(exc)


# --- prescribing checks ---------------------------------------------------------------------------


def test_duplicate_paracetamol_needs_an_acknowledgement_with_a_reason(world, meds, nka):
    order(world, meds.cocodamol)
    with pytest.raises(svc.AcknowledgementRequired) as exc:
        start(world, meds.paracetamol, prn())
    assert any("paracetamol" in f.message.lower() for f in exc.value.findings)
    with in_home(world.home):
        assert MedicationOrder.objects.count() == 1  # nothing saved
    o = start(world, meds.paracetamol, prn(), acknowledgement="GP aware: total kept under 4 g")
    with in_home(world.home):
        ack = PrescribingAcknowledgement.objects.get(order=o)
        assert ack.reason == "GP aware: total kept under 4 g" and ack.by == world.users["nurse"]
        assert any("paracetamol" in f["message"].lower() for f in ack.findings)
        assert AuditRecord.objects.filter(action="medication.order.findings_acknowledged", reason=ack.reason).exists()


def test_an_allergy_finding_is_shown_and_unrecorded_allergies_are_a_finding(world, meds):
    with pytest.raises(svc.AcknowledgementRequired) as exc:
        start(world, meds.paracetamol, regular())
    assert [f.rule for f in exc.value.findings] == ["allergy_status"]
    with in_home(world.home):
        Allergy.objects.create(
            home=world.home, resident=world.resident, substance="penicillin", reaction="rash", severity="moderate"
        )
    with pytest.raises(svc.AcknowledgementRequired) as exc:
        start(world, meds.amoxicillin, regular())
    assert any(f.rule.startswith("allergy") and "penicillin" in f.message.lower() for f in exc.value.findings)


def test_a_finding_that_may_not_be_overridden_refuses_the_order(world, meds, nka, monkeypatch):
    from writecarenotes.medication import safety

    class F:
        rule, message, overridable, source = "allergy", "Anaphylaxis to penicillins recorded.", False, "NICE CG183"

    monkeypatch.setattr(safety, "check_order", lambda **kw: [F()])
    with pytest.raises(svc.OrderRefused) as exc:
        start(world, meds.amoxicillin, regular(), acknowledgement="I accept")
    assert "Anaphylaxis" in exc.value.detail
    with in_home(world.home):
        assert not MedicationOrder.objects.exists()


# --- changes --------------------------------------------------------------------------------------


def test_a_change_is_a_new_version_with_the_reason_and_if_match(world, meds, nka):
    o = start(world, meds.paracetamol, regular())
    with in_home(world.home):
        with pytest.raises(PreconditionFailed):
            svc.change_order(o.pk, user=world.users["nurse"], values={"dose": "2"}, reason="GP", if_match='"v7"')
        with pytest.raises(ValidationError) as exc:
            svc.change_order(o.pk, user=world.users["nurse"], values={"dose": "2"}, reason="  ")
        assert "reason" in exc.value.message_dict
        changed = svc.change_order(
            o.pk,
            user=world.users["nurse"],
            values={"dose": "2", "times": ["08:00", "20:00"]},
            reason="GP phoned",
            if_match='"v1"',
        )
        assert changed.version == 2 and changed.dose == Decimal("2") and changed.times == ["08:00", "20:00"]
        v = RecordVersion.objects.get(content_type="medication.medicationorder", object_id=str(o.pk), version=2)
        assert v.reason == "GP phoned" and {"dose", "times"} <= set(v.changed)
        event = OutboxEvent.objects.get(name="medication.order_changed")
        assert event.payload["changed"] == ["dose", "times"] and event.payload["reason"] == "GP phoned"
        with pytest.raises(ValidationError):
            svc.change_order(o.pk, user=world.users["nurse"], values={"dose": "2"}, reason="again")  # nothing changed


def test_suspend_resume_stop_with_reasons_and_no_change_after_stop(world, meds, nka):
    o = start(world, meds.paracetamol, regular())
    n = world.users["nurse"]
    with in_home(world.home):
        with pytest.raises(ValidationError):
            svc.resume_order(o.pk, user=n, reason="not suspended")
        assert svc.suspend_order(o.pk, user=n, reason="Nil by mouth").status == OrderStatus.SUSPENDED
        assert svc.resume_order(o.pk, user=n, reason="Eating again").status == OrderStatus.ACTIVE
        stopped = svc.stop_order(o.pk, user=n, reason="Course finished")
        assert (
            stopped.status == OrderStatus.STOPPED
            and stopped.status_reason == "Course finished"
            and stopped.version == 4
        )
        with pytest.raises(ValidationError):
            svc.stop_order(o.pk, user=n, reason="again")
        with pytest.raises(ValidationError):
            svc.change_order(o.pk, user=n, values={"dose": "2"}, reason="x")
        names = sorted(OutboxEvent.objects.filter(name__startswith="medication.order_").values_list("name", flat=True))
    assert names == [
        "medication.order_resumed",
        "medication.order_started",
        "medication.order_stopped",
        "medication.order_suspended",
    ]


def test_a_refused_change_leaves_the_order_as_it_was(world, meds, nka):
    o = start(world, meds.paracetamol, regular())
    with in_home(world.home):
        with pytest.raises(ValidationError):
            svc.change_order(o.pk, user=world.users["nurse"], values={"dose": "0"}, reason="typo")
        o.refresh_from_db()
        assert o.dose == Decimal("1") and o.version == 1
